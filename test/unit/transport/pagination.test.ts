import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { API, envelope, mockToken, testCredentials } from '../../harness/falcon';
import { runNode } from '../../harness/runWorkflow';

const NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconInstallationTokens';
const QUERY = '/installation-tokens/queries/tokens/v1';
const ENTITIES = '/installation-tokens/entities/tokens/v1';

const allIds = Array.from({ length: 2050 }, (_, n) => n.toString(16).padStart(32, '0'));

/** A Falcon-like query endpoint over `allIds`, recording the pages asked for. */
function serveQuery(pages: Array<{ offset: number; limit: number }>) {
	return nock(API)
		.get(QUERY)
		.query(true)
		.times(10)
		.reply((uri) => {
			const query = new URL(uri, API).searchParams;
			const offset = Number(query.get('offset'));
			const limit = Number(query.get('limit'));
			pages.push({ offset, limit });
			return [200, envelope(allIds.slice(offset, offset + limit), { pagination: { offset, limit, total: allIds.length } })];
		});
}

function serveDetails(chunkSizes: number[]) {
	return nock(API)
		.get(ENTITIES)
		.query(true)
		.times(100)
		.reply((uri) => {
			const ids = new URL(uri, API).searchParams.getAll('ids');
			chunkSizes.push(ids.length);
			return [200, envelope(ids.map((id) => ({ id, expires_timestamp: null })))];
		});
}

it('Return All walks every page, then reads details in URL-safe chunks', async () => {
	mockToken();
	const pages: Array<{ offset: number; limit: number }> = [];
	const chunkSizes: number[] = [];
	serveQuery(pages);
	serveDetails(chunkSizes);
	const { items, error } = await runNode(NODE, { resource: 'token', operation: 'getAll', returnAll: true }, testCredentials());
	expect(error).toBeUndefined();
	expect(pages).toEqual([
		{ offset: 0, limit: 1000 },
		{ offset: 1000, limit: 1000 },
		{ offset: 2000, limit: 1000 },
	]);
	expect(chunkSizes).toHaveLength(21);
	expect(Math.max(...chunkSizes)).toBe(100);
	expect(items.map((item) => item.json.id)).toEqual(allIds);
});

it('Limit stops paging as soon as enough results are collected', async () => {
	mockToken();
	const pages: Array<{ offset: number; limit: number }> = [];
	serveQuery(pages);
	serveDetails([]);
	const { items } = await runNode(NODE, { resource: 'token', operation: 'getAll', returnAll: false, limit: 1500 }, testCredentials());
	expect(pages).toEqual([
		{ offset: 0, limit: 1000 },
		{ offset: 1000, limit: 500 },
	]);
	expect(items).toHaveLength(1500);
	expect(items[1499].json.id).toBe(allIds[1499]);
});

it('an empty result produces no items and no detail look-up', async () => {
	mockToken();
	nock(API).get(QUERY).query(true).reply(200, envelope([], { pagination: { offset: 0, limit: 50, total: 0 } }));
	const { items, error } = await runNode(NODE, { resource: 'token', operation: 'getAll', limit: 50 }, testCredentials());
	expect(error).toBeUndefined();
	expect(items).toEqual([]);
});

describe('scroll pagination (Hosts: QueryDevicesByFilterScroll)', () => {
	const HOSTS_NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconHosts';
	const SCROLL = '/devices/queries/devices-scroll/v1';
	const DETAILS = '/devices/entities/devices/v2';
	const aids = Array.from({ length: 5003 }, (_, n) => `f${(n + 1).toString(16).padStart(31, '0')}`);

	type Page = { offset: string | null; limit: number };

	/**
	 * A Falcon-like scroll endpoint: pages of at most `pageSize` (whatever was asked), the next page's token in
	 * `meta.pagination.offset` (also on the last page, as Falcon does), tokens `t1`, `t2`, ... .
	 */
	function serveScroll(pages: Page[], { pageSize = 5000, total = aids.length, tokenAfterPage = (n: number) => `t${n}` } = {}) {
		return nock(API)
			.get(SCROLL)
			.query(true)
			.times(20)
			.reply((uri) => {
				const query = new URL(uri, API).searchParams;
				const offset = query.get('offset');
				const limit = Number(query.get('limit'));
				pages.push({ offset, limit });
				const start = offset === null ? 0 : Number(offset.slice(1)) * pageSize;
				const ids = aids.slice(start, Math.min(start + Math.min(limit, pageSize), total));
				const token = tokenAfterPage(start / pageSize + 1);
				return [200, envelope(ids, { pagination: { offset: token, expires_at: 1796000000000000000, limit, total } })];
			});
	}

	/**
	 * A scroll whose cursor lives on Falcon's side: each call gets the next page whatever token it sends, and the
	 * token handed back is `tokenOfPage(n)` (pages counted from 1). Records the offsets asked for.
	 */
	function serveCursorScroll(
		offsets: (string | null)[],
		{ pageSize, total, tokenOfPage }: { pageSize: number; total?: number; tokenOfPage: (page: number) => string },
	) {
		nock(API)
			.get(SCROLL)
			.query(true)
			.times(10)
			.reply((uri) => {
				offsets.push(new URL(uri, API).searchParams.get('offset'));
				const start = (offsets.length - 1) * pageSize;
				const ids = aids.slice(start, Math.min(start + pageSize, total ?? aids.length));
				const pagination = { offset: tokenOfPage(offsets.length), limit: pageSize, ...(total === undefined ? {} : { total }) };
				return [200, envelope(ids, { pagination })];
			});
	}

	function serveHostDetails(chunkSizes: number[]) {
		return nock(API)
			.post(DETAILS)
			.times(20)
			.reply((_uri, body) => {
				const { ids } = body as { ids: string[] };
				chunkSizes.push(ids.length);
				return [200, envelope(ids.map((device_id) => ({ device_id, hostname: `h-${device_id.slice(-4)}` })))];
			});
	}

	it('Return All: first call without offset, then the token of the previous page, until total; details POSTed 5,000 at a time', async () => {
		mockToken();
		const pages: Page[] = [];
		const chunkSizes: number[] = [];
		serveScroll(pages);
		serveHostDetails(chunkSizes);
		const { items, error } = await runNode(HOSTS_NODE, { resource: 'host', operation: 'getAll', returnAll: true, filters: {}, options: {} }, testCredentials());
		expect(error).toBeUndefined();
		expect(pages).toEqual([
			{ offset: null, limit: 5000 },
			{ offset: 't1', limit: 5000 },
		]);
		expect(chunkSizes).toEqual([5000, 3]);
		expect(items.map((item) => item.json.device_id)).toEqual(aids);
	});

	it('Limit: asks each page for what is still missing and stops as soon as it has enough', async () => {
		mockToken();
		const pages: Page[] = [];
		const chunkSizes: number[] = [];
		serveScroll(pages, { pageSize: 3 });
		serveHostDetails(chunkSizes);
		const { items, error } = await runNode(HOSTS_NODE, { resource: 'host', operation: 'getAll', limit: 7, filters: {}, options: {} }, testCredentials());
		expect(error).toBeUndefined();
		expect(pages).toEqual([
			{ offset: null, limit: 7 },
			{ offset: 't1', limit: 4 },
			{ offset: 't2', limit: 1 },
		]);
		expect(chunkSizes).toEqual([7]);
		expect(items.map((item) => item.json.device_id)).toEqual(aids.slice(0, 7));
	});

	it('stops at total even though Falcon hands back a token with the last page', async () => {
		mockToken();
		const pages: Page[] = [];
		serveScroll(pages, { pageSize: 2, total: 5 });
		serveHostDetails([]);
		const { items, error } = await runNode(HOSTS_NODE, { resource: 'host', operation: 'getAll', returnAll: true, filters: {}, options: {} }, testCredentials());
		expect(error).toBeUndefined();
		expect(pages.map((page) => page.offset)).toEqual([null, 't1', 't2']);
		expect(items).toHaveLength(5);
	});

	it('stops when Falcon hands back no token, whatever the total says', async () => {
		mockToken();
		const pages: Page[] = [];
		serveScroll(pages, { pageSize: 2, total: 6, tokenAfterPage: (n) => (n === 1 ? 't1' : '') });
		serveHostDetails([]);
		const { items, error } = await runNode(HOSTS_NODE, { resource: 'host', operation: 'getAll', returnAll: true, filters: {}, options: {} }, testCredentials());
		expect(error).toBeUndefined();
		expect(pages.map((page) => page.offset)).toEqual([null, 't1']);
		expect(items).toHaveLength(4);
	});

	it('stops when Falcon hands back a token it gave before, even after others, with no total to stop at', async () => {
		mockToken();
		const pages: Page[] = [];
		// t1, t2, t1, ...: without a memory of every token, Return All would read pages 2 and 3 for ever.
		serveScroll(pages, { pageSize: 2, total: 1_000, tokenAfterPage: (n) => (n % 2 === 1 ? 't1' : 't2') });
		serveHostDetails([]);
		const { error } = await runNode(HOSTS_NODE, { resource: 'host', operation: 'getAll', returnAll: true, filters: {}, options: {} }, testCredentials());
		expect(error).toBeUndefined();
		// The second t1 reads page 2 again: nothing new, so the walk ends there.
		expect(pages.map((page) => page.offset)).toEqual([null, 't1', 't2', 't1']);
	});

	it('stops at a token handed back again when no total bounds the walk, even if its page brought new hosts', async () => {
		mockToken();
		const offsets: (string | null)[] = [];
		// Tokens A, B, A, B, ... and always new hosts: without a total, nothing else would end it.
		serveCursorScroll(offsets, { pageSize: 2, tokenOfPage: (page) => (page % 2 === 1 ? 'A' : 'B') });
		serveHostDetails([]);
		const { items, error } = await runNode(HOSTS_NODE, { resource: 'host', operation: 'getAll', returnAll: true, filters: {}, options: {} }, testCredentials());
		expect(error).toBeUndefined();
		expect(offsets).toEqual([null, 'A', 'B']);
		expect(items).toHaveLength(6);
	});

	it('reads on when Falcon hands back the same scroll token for every page, as long as the pages bring new hosts', async () => {
		mockToken();
		const offsets: (string | null)[] = [];
		serveCursorScroll(offsets, { pageSize: 10, total: 25, tokenOfPage: () => 'same' });
		serveHostDetails([]);
		const { items, error } = await runNode(HOSTS_NODE, { resource: 'host', operation: 'getAll', returnAll: true, filters: {}, options: {} }, testCredentials());
		expect(error).toBeUndefined();
		expect(offsets).toEqual([null, 'same', 'same']);
		expect(items.map((item) => item.json.device_id)).toEqual(aids.slice(0, 25));
	});
});

it('an ID a changing result set repeats across pages is collected, looked up and output once', async () => {
	mockToken();
	const [first, second, third] = allIds;
	// Newest first, and one token created between the two pages: the last ID of page 1 heads page 2.
	nock(API)
		.get(QUERY)
		.query((query) => query.offset === '0')
		.reply(200, envelope([first, second], { pagination: { offset: 0, limit: 2, total: 4 } }))
		.get(QUERY)
		.query((query) => query.offset === '2')
		.reply(200, envelope([second, third], { pagination: { offset: 2, limit: 2, total: 4 } }));
	const looked: string[][] = [];
	nock(API)
		.get(ENTITIES)
		.query(true)
		.reply((uri) => {
			const ids = new URL(uri, API).searchParams.getAll('ids');
			looked.push(ids);
			return [200, envelope(ids.map((id) => ({ id, expires_timestamp: null })))];
		});
	const { items, error } = await runNode(NODE, { resource: 'token', operation: 'getAll', returnAll: false, limit: 4 }, testCredentials());
	expect(error).toBeUndefined();
	expect(looked).toEqual([[first, second, third]]);
	expect(items.map((item) => item.json.id)).toEqual([first, second, third]);
});

describe('Alerts: POSTed pages of 1,000, each after the token of the one before', () => {
	const ALERTS_NODE = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconAlerts';
	const cid = '0123456789abcdef0123456789abcdef';
	const compositeIds = Array.from({ length: 2003 }, (_, n) => `${cid}:ind:${'a'.repeat(32)}:${n}-1-1`);

	it('Return All keeps the filter and sort in every page body, adds the after token, and stops when none comes back', async () => {
		mockToken();
		const bodies: Array<Record<string, unknown>> = [];
		nock(API)
			.post('/alerts/combined/alerts/v1')
			.times(5)
			.reply((_uri, body) => {
				const sent = body as Record<string, unknown>;
				bodies.push(sent);
				const start = sent.after === undefined ? 0 : Number(String(sent.after).replace('next-', ''));
				const end = Math.min(compositeIds.length, start + Number(sent.limit));
				const after = end < compositeIds.length ? { after: `next-${end}` } : {};
				const page = compositeIds.slice(start, end).map((composite_id) => ({ composite_id }));
				return [200, envelope(page, { pagination: { limit: Number(sent.limit), total: compositeIds.length, ...after } })];
			});
		const { items, error } = await runNode(
			ALERTS_NODE,
			{ resource: 'alert', operation: 'getAll', returnAll: true, filters: { status: 'new' }, options: { sort: 'created_timestamp|asc' } },
			testCredentials(),
		);
		expect(error).toBeUndefined();
		const page = { filter: "status:'new'", sort: 'created_timestamp|asc', limit: 1000 };
		expect(bodies).toEqual([page, { ...page, after: 'next-1000' }, { ...page, after: 'next-2000' }]);
		expect(items.map((item) => item.json.composite_id)).toEqual(compositeIds);
	});

	it('ends the walk at a page that brings only alerts already read, though it names a new after token', async () => {
		mockToken();
		let calls = 0;
		nock(API)
			.post('/alerts/combined/alerts/v1')
			.times(5)
			.reply(() => [200, envelope([{ composite_id: compositeIds[0] }], { pagination: { limit: 1, total: 5, after: `fresh-${++calls}` } })]);
		const { items, error } = await runNode(ALERTS_NODE, { resource: 'alert', operation: 'getAll', returnAll: true, filters: {}, options: {} }, testCredentials());
		expect(error).toBeUndefined();
		expect(calls).toBe(2);
		expect(items.map((item) => item.json.composite_id)).toEqual([compositeIds[0]]);
		nock.cleanAll();
	});

	it('reads on while Falcon hands back an after token, though the alerts read reached its total', async () => {
		mockToken();
		const page = (from: number, to: number) => compositeIds.slice(from, to).map((composite_id) => ({ composite_id }));
		nock(API)
			.post('/alerts/combined/alerts/v1', (body) => body.after === undefined)
			.reply(200, envelope(page(0, 1000), { pagination: { limit: 1000, total: 1000, after: 'page-2' } }))
			.post('/alerts/combined/alerts/v1', (body) => body.after === 'page-2')
			.reply(200, envelope(page(1000, 1005), { pagination: { limit: 1000, total: 1005 } }));
		const { items, error } = await runNode(ALERTS_NODE, { resource: 'alert', operation: 'getAll', returnAll: true, filters: {}, options: {} }, testCredentials());
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1005);
		expect(nock.isDone()).toBe(true);
	});

	/**
	 * Falcon-like: each page is the query again, from the first alert sorting after the last one handed out (its
	 * values then); `updateBetweenPages` runs once the first page has gone out.
	 */
	function serveSearchAfter(alerts: IDataObject[], bodies: IDataObject[], updateBetweenPages: () => void) {
		const valueOf = (alert: IDataObject, field: string) => String(alert[field]);
		nock(API)
			.post('/alerts/combined/alerts/v1')
			.times(10)
			.reply((_uri, body) => {
				const sent = body as IDataObject;
				bodies.push(sent);
				const [field, direction] = String(sent.sort ?? 'created_timestamp|desc').split('|');
				const sign = direction === 'desc' ? -1 : 1;
				const order = (a: IDataObject, b: IDataObject) =>
					sign * valueOf(a, field).localeCompare(valueOf(b, field)) || valueOf(a, 'composite_id').localeCompare(valueOf(b, 'composite_id'));
				const sorted = [...alerts].sort(order);
				const last = sent.after === undefined ? undefined : (JSON.parse(String(sent.after)) as IDataObject);
				const start = last === undefined ? 0 : sorted.findIndex((alert) => order(alert, last) > 0);
				const page = sorted.slice(start, start + Number(sent.limit));
				const more = start + page.length < sorted.length;
				if (bodies.length === 1) updateBetweenPages();
				const after = more ? { after: JSON.stringify(page[page.length - 1]) } : {};
				return [200, envelope(page.map((alert) => ({ ...alert })), { pagination: { limit: Number(sent.limit), total: sorted.length, ...after } })];
			});
	}

	it('Return All sorted by Updated reads in creation order, so an alert updated during the read is not skipped, then orders by update', async () => {
		mockToken();
		const at = (ms: number) => `2026-11-30T08:00:${String(Math.floor(ms / 1000)).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}123456Z`;
		const alerts: IDataObject[] = compositeIds.slice(0, 1500).map((composite_id, n) => ({
			composite_id,
			created_timestamp: at(n * 20),
			updated_timestamp: at(n * 20),
		}));
		// Read by last update, newest first, an update moves alert 10 from the second page to ahead of the cursor.
		const updated = alerts[10];
		const bodies: IDataObject[] = [];
		serveSearchAfter(alerts, bodies, () => {
			updated.updated_timestamp = '2026-11-30T09:00:00.000000001Z';
		});
		const { items, error } = await runNode(
			ALERTS_NODE,
			{ resource: 'alert', operation: 'getAll', returnAll: true, filters: {}, options: { sort: 'updated_timestamp|desc' } },
			testCredentials(),
		);
		expect(error).toBeUndefined();
		expect(bodies.map((body) => body.sort)).toEqual(['created_timestamp|desc', 'created_timestamp|desc']);
		expect(items).toHaveLength(1500);
		const expected = [...alerts].sort((a, b) => String(b.updated_timestamp).localeCompare(String(a.updated_timestamp)));
		expect(items.map((item) => item.json.composite_id)).toEqual(expected.map((alert) => alert.composite_id));
		expect(items[0].json).toMatchObject({ composite_id: updated.composite_id, updated_timestamp: '2026-11-30T09:00:00.000000001Z' });
	});

	it('a Limit is read in the sort asked for: its first alerts are the ones wanted', async () => {
		mockToken();
		const api = nock(API)
			.post('/alerts/combined/alerts/v1', { sort: 'updated_timestamp|desc', limit: 5 })
			.reply(200, envelope([{ composite_id: compositeIds[0] }], { pagination: { limit: 5, total: 1 } }));
		const { error } = await runNode(
			ALERTS_NODE,
			{ resource: 'alert', operation: 'getAll', limit: 5, filters: {}, options: { sort: 'updated_timestamp|desc' } },
			testCredentials(),
		);
		expect(error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('with a Limit, read in the sort asked for: an alert updated between two pages comes out once, as last read', async () => {
		mockToken();
		const [a, b, c] = compositeIds;
		nock(API)
			.post('/alerts/combined/alerts/v1', (body) => body.after === undefined)
			.reply(200, envelope([{ composite_id: a }, { composite_id: b }], { pagination: { limit: 2, after: 'page-2' } }))
			.post('/alerts/combined/alerts/v1', (body) => body.after === 'page-2')
			.reply(200, envelope([{ composite_id: b, status: 'in_progress' }, { composite_id: c }], { pagination: { limit: 2 } }));
		const { items, error } = await runNode(
			ALERTS_NODE,
			{ resource: 'alert', operation: 'getAll', limit: 5, filters: {}, options: { sort: 'updated_timestamp|desc' } },
			testCredentials(),
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.composite_id)).toEqual([a, b, c]);
		expect(items[1].json.status).toBe('in_progress');
		expect(nock.isDone()).toBe(true);
	});
});

describe('a page answered 200 with errors and nothing else', () => {
	const failedPage = { meta: { trace_id: 'trace-page', pagination: { limit: 0, total: 0, offset: 'x' } }, resources: [], errors: [{ code: 500, message: 'search backend unavailable' }] };

	it.each([
		['Alerts', 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconAlerts', 'alert', () => nock(API).post('/alerts/combined/alerts/v1')],
		['Hosts', 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconHosts', 'host', () => nock(API).get('/devices/queries/devices-scroll/v1').query(true)],
		['Installation Tokens', NODE, 'token', () => nock(API).get(QUERY).query(true)],
	])("fails %s Get Many with Falcon's error and trace id, instead of reading as nothing found", async (_name, node, resource, page) => {
		mockToken();
		page().reply(200, failedPage);
		const { items, error } = await runNode(node, { resource, operation: 'getAll', returnAll: true, filters: {}, options: {} }, testCredentials());
		expect(items).toEqual([]);
		expect(error?.message).toBe('Falcon API error 200: 500: search backend unavailable');
		expect(error?.description).toContain('trace_id: trace-page');
	});
});
