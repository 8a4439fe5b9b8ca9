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
