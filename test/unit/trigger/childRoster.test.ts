/* eslint-disable @n8n/community-nodes/no-restricted-globals */
import type { IDataObject, IHttpRequestOptions, ITriggerFunctions } from 'n8n-workflow';

import { ChildRoster } from '../../../nodes/CrowdStrikeFalcon/Trigger/childRoster';
import type { ChildTenant } from '../../../nodes/CrowdStrikeFalcon/Trigger/childTenants';
import type { TenantFollower } from '../../../nodes/CrowdStrikeFalcon/Trigger/tenantFollower';

const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((letter) => letter.repeat(32));

interface Link {
	child_cid: string;
	name: string;
	status: string;
}

/** Flight Control as the parent's own tenant answers it; `links` can change, `failing` makes every call fail. */
function flightControl(initial: Link[]) {
	// `skipped`: children the query leaves out while they are still linked, as an offset page read while children change can.
	const fc = { links: initial, failing: false, calls: [] as string[], skipped: new Set<string>() };
	const context = {
		getNode: () => ({ id: 'n1', name: 'Falcon Trigger', type: 't', typeVersion: 1, position: [0, 0], parameters: {} }),
		logger: { info: jest.fn(), warn: jest.fn(), error: jest.fn(), debug: jest.fn() },
		getCredentials: async () => ({ cloud: 'custom', baseUrl: 'https://falcon.test', clientId: 'client', clientSecret: 'secret' }),
		helpers: {
			httpRequest: jest.fn(async (options: IHttpRequestOptions) => {
				if (options.url.endsWith('/oauth2/token')) return { statusCode: 201, headers: {}, body: { access_token: 'token', expires_in: 1799 } };
				fc.calls.push(options.url);
				if (fc.failing) throw new Error('socket hang up');
				if (options.url === '/mssp/queries/children/v1') {
					return { statusCode: 200, headers: {}, body: { meta: { pagination: { total: fc.links.length } }, resources: fc.links.map((link) => link.child_cid).filter((cid) => !fc.skipped.has(cid)) } };
				}
				const ids = (options.qs as IDataObject).ids as string[];
				return { statusCode: 200, headers: {}, body: { resources: fc.links.filter((link) => ids.includes(link.child_cid)) } };
			}),
		},
	};
	return { fc, context: context as unknown as ITriggerFunctions };
}

class FakeFollower {
	stopped = false;
	/** Set: stop() leaves run() pending until release(), as a follower waits for the executions it started. */
	lingers = false;
	private finish!: () => void;
	private readonly finished = new Promise<void>((resolve) => (this.finish = resolve));

	constructor(readonly tenant: ChildTenant, signal: AbortSignal) {
		signal.addEventListener('abort', () => this.finish(), { once: true });
	}

	async run(): Promise<void> {
		await this.finished;
	}

	stop(): void {
		this.stopped = true;
		if (!this.lingers) this.finish();
	}

	release(): void {
		this.finish();
	}

	rename(name: string | null): void {
		this.tenant.name = name;
	}
}

const until = async (probe: () => boolean, what: string) => {
	const deadline = Date.now() + 3_000;
	while (!probe()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
};

function roster(context: ITriggerFunctions, selection: ConstructorParameters<typeof ChildRoster>[0]['selection']) {
	const abort = new AbortController();
	const created: FakeFollower[] = [];
	const overviews: IDataObject[] = [];
	const inUse: string[][] = [];
	const alarm = { failed: jest.fn(), recovered: jest.fn() };
	const subject = new ChildRoster({
		context,
		selection,
		record: (overview) => overviews.push(overview),
		inUse: (cids) => inUse.push([...cids].sort()),
		backoff: { initialMs: 10, maxMs: 20 },
		alarm,
		signal: abort.signal,
		followerFor: (child) => {
			const follower = new FakeFollower({ ...child }, abort.signal);
			created.push(follower);
			return follower as unknown as TenantFollower;
		},
	});
	const running = subject.run();
	const followed = () => subject.followers().map((follower) => `${follower.tenant.cid}:${follower.tenant.name}`).sort();
	return { subject, abort, created, overviews, inUse, alarm, running, followed };
}

it('follows every active child, then the children of each new read: new ones started, removed ones stopped, renames passed on', async () => {
	const { fc, context } = flightControl([
		{ child_cid: A, name: 'Alpha', status: 'active' },
		{ child_cid: B, name: 'Bravo', status: 'active' },
		{ child_cid: C, name: 'Charlie', status: 'inactive' },
	]);
	const run = roster(context, { kind: 'allChildren', refreshMs: 30 });
	await until(() => run.followed().length === 2, 'the first read');
	expect(run.followed()).toEqual([`${A}:Alpha`, `${B}:Bravo`]);

	fc.links = [
		{ child_cid: A, name: 'Alpha Renamed', status: 'active' },
		{ child_cid: D, name: 'Delta', status: 'active' },
	];
	await until(() => run.followed().includes(`${D}:Delta`), 'the next read');
	expect(run.followed()).toEqual([`${A}:Alpha Renamed`, `${D}:Delta`]);
	expect(run.created.find((follower) => follower.tenant.cid === B)!.stopped).toBe(true);
	// The renamed child kept its follower.
	expect(run.created.filter((follower) => follower.tenant.cid === A)).toHaveLength(1);
	expect(run.overviews.at(-1)).toMatchObject({ selection: 'allChildren', lastError: null, following: [{ cid: A, name: 'Alpha Renamed' }, { cid: D, name: 'Delta' }] });
	// Removed, B is still in use while its follower finishes; the next read finds it gone.
	expect(run.inUse.at(-1)).toEqual([A, B, D]);
	const reads = run.inUse.length;
	await until(() => run.inUse.length > reads, 'a read after B finished');
	expect(run.inUse.at(-1)).toEqual([A, D]);

	run.abort.abort();
	await run.running;
});

it('a followed child the paged query left out is looked up by its CID: still active, it is not stopped; gone, it is', async () => {
	const { fc, context } = flightControl([
		{ child_cid: A, name: 'Alpha', status: 'active' },
		{ child_cid: B, name: 'Bravo', status: 'active' },
	]);
	const run = roster(context, { kind: 'allChildren', refreshMs: 30 });
	try {
		await until(() => run.followed().length === 2, 'the first read');
		fc.skipped.add(B);
		const reads = run.overviews.length;
		await until(() => run.overviews.length > reads + 1, 'two reads that left B out');
		expect(run.followed()).toEqual([`${A}:Alpha`, `${B}:Bravo`]);
		expect(run.created.find((follower) => follower.tenant.cid === B)!.stopped).toBe(false);
		fc.links = fc.links.filter((link) => link.child_cid !== B);
		await until(() => run.followed().length === 1, 'B gone');
		expect(run.created.find((follower) => follower.tenant.cid === B)!.stopped).toBe(true);
	} finally {
		run.abort.abort();
		await run.running;
	}
});

it('a failed read keeps the children followed, says so, and is tried again sooner than the refresh', async () => {
	const { fc, context } = flightControl([{ child_cid: A, name: 'Alpha', status: 'active' }]);
	fc.failing = true;
	const startedAt = Date.now();
	const run = roster(context, { kind: 'allChildren', refreshMs: 400 });
	await until(() => run.alarm.failed.mock.calls.length >= 2, 'two failed reads');
	// On the back-off (10–20 ms here), well before the refresh interval.
	expect(Date.now() - startedAt).toBeLessThan(400);
	expect(run.followed()).toEqual([]);
	expect(run.overviews.at(-1)).toMatchObject({ lastError: expect.stringContaining('socket hang up') });

	fc.failing = false;
	await until(() => run.followed().length === 1, 'the read to succeed');
	expect(run.alarm.recovered).toHaveBeenCalled();
	expect(run.overviews.at(-1)).toMatchObject({ lastError: null });

	fc.failing = true;
	const failures = run.alarm.failed.mock.calls.length;
	await until(() => run.alarm.failed.mock.calls.length > failures, 'the next read to fail');
	expect(run.followed()).toEqual([`${A}:Alpha`]);
	expect(run.created[0].stopped).toBe(false);
	run.abort.abort();
	await run.running;
});

it('follows listed children even when Flight Control cannot name them, and names them when it can', async () => {
	const { fc, context } = flightControl([{ child_cid: A, name: 'Alpha', status: 'active' }]);
	fc.failing = true;
	const run = roster(context, { kind: 'childList', cids: [A, B], refreshMs: 30 });
	await until(() => run.followed().length === 2, 'the listed children');
	expect(run.followed()).toEqual([`${A}:null`, `${B}:null`]);
	fc.failing = false;
	await until(() => run.followed().includes(`${A}:Alpha`), 'the name');
	// Only Flight Control's details are read for a list: its query of every child is not needed.
	expect(fc.calls).not.toContain('/mssp/queries/children/v1');
	run.abort.abort();
	await run.running;
});

it('a child removed and listed again while its old follower still waits for executions gets a new follower only once the old one finished', async () => {
	const { fc, context } = flightControl([{ child_cid: A, name: 'Alpha', status: 'active' }]);
	const run = roster(context, { kind: 'allChildren', refreshMs: 20 });
	await until(() => run.followed().length === 1, 'the first read');
	const old = run.created[0];
	old.lingers = true;

	fc.links = [];
	await until(() => old.stopped, 'the removal');
	// Still committing what it started: its stored state is in use, and must not be dropped.
	await until(() => run.inUse.length >= 2 && run.overviews.at(-1)!.following instanceof Array && (run.overviews.at(-1)!.following as unknown[]).length === 0, 'a read listing none');
	expect(run.inUse.at(-1)).toEqual([A]);
	fc.links = [{ child_cid: A, name: 'Alpha', status: 'active' }];
	const reads = fc.calls.length;
	await until(() => fc.calls.length >= reads + 6, 'three more reads of the children');
	// A second follower now would read the stored position before the old one's commits and emit its batches again.
	expect(run.created).toHaveLength(1);
	expect(run.followed()).toEqual([]);

	old.release();
	await until(() => run.created.length === 2, 'the new follower');
	expect(run.followed()).toEqual([`${A}:Alpha`]);
	expect(run.created[1].stopped).toBe(false);
	run.abort.abort();
	await run.running;
});
