import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { envelope, falconErrors } from '../../harness/falcon';
import { byId, device, DEVICES, falcon, HOST_A, HOST_B, HOST_C, HOST_D, items, json, LAST_SEEN, meta, run } from './helpers';

/** PerformActionV2's 202 body: accepted hosts in resources, per-host refusals in errors (with the host's id). */
const accepted = (ids: string[], errors: IDataObject[] = []) => ({
	meta: meta(),
	resources: ids.map((id) => ({ id, path: '' })),
	errors,
});

const hostParameter = byId('={{ $json.host }}');
const contain = (options: INodeParameters = {}): INodeParameters => ({ resource: 'host', operation: 'contain', hostId: hostParameter, options });
const lift = (options: INodeParameters = {}): INodeParameters => ({ resource: 'host', operation: 'liftContainment', hostId: hostParameter, options });

/** HOST_A waits until contained, HOST_B does not: two groups of options. */
const criticalAThenB = async () =>
	await run(contain({ wait: '={{ $json.critical }}', pollIntervalSeconds: 0.5, deadlineSeconds: 30 }), {
		input: [{ json: { host: HOST_A, critical: true } }, { json: { host: HOST_B, critical: false } }],
	});

/** HOST_B's group in criticalAThenB: read normal (after `delayMs`), contained, read once more, pending. */
const hostBContained = (scope: nock.Scope, delayMs = 0) =>
	scope
		.post(DEVICES.details, { ids: [HOST_B] })
		.delay(delayMs)
		.reply(200, envelope([device(HOST_B, 'normal')]))
		.post(DEVICES.action, { ids: [HOST_B] })
		.query({ action_name: 'contain' })
		.reply(202, accepted([HOST_B]))
		.post(DEVICES.details, { ids: [HOST_B] })
		.reply(200, envelope([device(HOST_B, 'containment_pending')]));

/** The output item of one host. */
function hostResult(aid: string, fields: IDataObject): IDataObject {
	const known = device(aid, 'normal');
	return {
		host_id: aid,
		hostname: known.hostname,
		platform_name: known.platform_name,
		last_seen: LAST_SEEN,
		...fields,
	};
}

/** Falcon reads the hosts as normal, and is then asked to contain them all in one call: its answer is the test's. */
const askedToContain = (...ids: string[]) =>
	falcon()
		.post(DEVICES.details, { ids })
		.reply(200, envelope(ids.map((id) => device(id, 'normal'))))
		.post(DEVICES.action, { ids })
		.query({ action_name: 'contain' });

describe('Host > Contain (PerformActionV2 action_name=contain)', () => {
	it('fails a host Falcon neither accepted nor refused whose status shows no containment, instead of reporting it pending', async () => {
		const api = askedToContain(HOST_A, HOST_B)
			.reply(202, accepted([HOST_A]))
			.post(DEVICES.details, { ids: [HOST_A, HOST_B] })
			.reply(200, envelope([device(HOST_A, 'containment_pending'), device(HOST_B, 'normal')]));
		const result = await run(contain(), { input: items([HOST_A, HOST_B]) });
		expect(result.error).toBeUndefined();
		expect(json(result.items).map(({ host_id, result: outcome, error }) => [host_id, outcome, error])).toEqual([
			[HOST_A, 'containment_pending', undefined],
			[HOST_B, 'failed', 'Falcon did not report this host as accepted for contain, and its status is "normal"'],
		]);
		expect(api.isDone()).toBe(true);
	});

	it('a group of items refused as a whole fails its own hosts, keeping the results of a group already contained', async () => {
		const api = askedToContain(HOST_A)
			.reply(202, accepted([HOST_A]))
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'contained')]))
			.post(DEVICES.details, { ids: [HOST_B] })
			.reply(200, envelope([device(HOST_B, 'normal')]))
			.post(DEVICES.action, { ids: [HOST_B] })
			.query({ action_name: 'contain' })
			.reply(400, { meta: meta(), errors: [{ code: 400, message: 'bad request' }] });
		const result = await run(contain({ wait: '={{ $json.critical }}', pollIntervalSeconds: 0.5, deadlineSeconds: 30 }), {
			input: [{ json: { host: HOST_A, critical: true } }, { json: { host: HOST_B, critical: false } }],
		});
		expect(result.error).toBeUndefined();
		expect(json(result.items).map(({ host_id, result: outcome, code }) => [host_id, outcome, code])).toEqual([
			[HOST_A, 'contained', undefined],
			[HOST_B, 'failed', 400],
		]);
		expect(api.isDone()).toBe(true);
	});

	it('a first group refused while the next is still being acted on fails its own hosts, with no rejection left unhandled', async () => {
		const unhandled: unknown[] = [];
		const record = (reason: unknown) => unhandled.push(reason);
		// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- what Node does with a rejection left unhandled
		process.on('unhandledRejection', record);
		try {
			const api = hostBContained(
				falcon().post(DEVICES.details, { ids: [HOST_A] }).reply(403, falconErrors(403, 'access denied, authorization failed')),
				300,
			);
			const result = await criticalAThenB();
			await sleep(50);
			expect(result.error).toBeUndefined();
			expect(json(result.items).map(({ host_id, result: outcome, code }) => [host_id, outcome, code])).toEqual([
				[HOST_A, 'failed', 403],
				[HOST_B, 'containment_pending', undefined],
			]);
			expect(unhandled).toEqual([]);
			expect(api.isDone()).toBe(true);
		} finally {
			// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- as above
			process.off('unhandledRejection', record);
		}
	});

	it("runs items whose options differ (an expression's Wait Until Contained) apart, each with its own options", async () => {
		const api = hostBContained(
			askedToContain(HOST_A)
				.reply(202, accepted([HOST_A]))
				.post(DEVICES.details, { ids: [HOST_A] })
				.reply(200, envelope([device(HOST_A, 'contained')])),
		);
		const result = await criticalAThenB();
		expect(result.error).toBeUndefined();
		expect(json(result.items).map(({ host_id, result: outcome }) => [host_id, outcome])).toEqual([
			[HOST_A, 'contained'],
			[HOST_B, 'containment_pending'],
		]);
		expect(api.isDone()).toBe(true);
	});

	it('contains the hosts of every item in one call: each host once, paired to every item that named it', async () => {
		const api = falcon()
			.post(DEVICES.details, { ids: [HOST_A, HOST_B, HOST_C, HOST_D] })
			.reply(200, envelope([device(HOST_A, 'normal'), device(HOST_B, 'Normal'), device(HOST_C, 'contained')]))
			.post(DEVICES.action, { ids: [HOST_A, HOST_B] })
			.query({ action_name: 'contain' })
			.reply(202, accepted([HOST_A]))
			.post(DEVICES.details, { ids: [HOST_A, HOST_B] })
			.reply(200, envelope([device(HOST_A, 'containment_pending'), device(HOST_B, 'contained')]));
		const result = await run(contain(), {
			input: items([HOST_A, HOST_B.toUpperCase(), HOST_A, HOST_C, HOST_D, ` ${HOST_B} `]),
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{
				json: hostResult(HOST_A, { action: 'contain', status_before: 'normal', status_after: 'containment_pending', result: 'containment_pending' }),
				pairedItem: [{ item: 0 }, { item: 2 }],
			},
			{
				json: hostResult(HOST_B, { action: 'contain', status_before: 'normal', status_after: 'contained', result: 'contained' }),
				pairedItem: [{ item: 1 }, { item: 5 }],
			},
			{
				json: hostResult(HOST_C, { action: 'contain', status_before: 'contained', status_after: 'contained', result: 'already_contained' }),
				pairedItem: { item: 3 },
			},
			{
				json: {
					host_id: HOST_D,
					hostname: null,
					platform_name: null,
					action: 'contain',
					status_before: null,
					status_after: null,
					result: 'not_found',
					last_seen: null,
				},
				pairedItem: { item: 4 },
			},
		]);
		expect(api.isDone()).toBe(true);
	});

	it('reports a host Falcon refused (errors[].id) as failed, with its message, code and the call\'s trace id, after one look at its status', async () => {
		const api = askedToContain(HOST_A, HOST_B)
			.reply(202, accepted([HOST_A], [{ code: 409, id: HOST_B.toUpperCase(), message: 'Device is not eligible for containment' }]))
			// The refused host, once: still normal, so the refusal stands (a pending status would have excused it).
			.post(DEVICES.details, { ids: [HOST_B] })
			.reply(200, envelope([device(HOST_B, 'normal')]))
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'containment_pending')]));
		const result = await run(contain(), { input: items([HOST_A, HOST_B]) });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			hostResult(HOST_A, { action: 'contain', status_before: 'normal', status_after: 'containment_pending', result: 'containment_pending' }),
			hostResult(HOST_B, {
				action: 'contain',
				status_before: 'normal',
				status_after: 'normal',
				result: 'failed',
				error: 'Device is not eligible for containment',
				code: 409,
				trace_id: 'trace-ok',
			}),
		]);
		expect(api.isDone()).toBe(true);
	});

	it('a host refused because a containment is already under way (another run, the console) reads as pending, not failed', async () => {
		const api = askedToContain(HOST_A)
			.reply(409, { meta: meta(), resources: [], errors: [{ code: 409, id: HOST_A, message: 'Device containment already in progress' }] })
			.post(DEVICES.details, { ids: [HOST_A] })
			.times(2)
			.reply(200, envelope([device(HOST_A, 'containment_pending')]));
		const result = await run(contain(), { input: items([HOST_A]) });
		expect(result.error).toBeUndefined();
		expect(json(result.items)[0]).toMatchObject({ host_id: HOST_A, status_after: 'containment_pending', result: 'containment_pending' });
		expect(json(result.items)[0].error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('hosts Falcon\'s answer does not account for are judged by their status; an error naming no host goes with them', async () => {
		const api = askedToContain(HOST_A, HOST_B)
			.reply(202, accepted([], [{ code: 500, message: 'partial failure' }]))
			.post(DEVICES.details, { ids: [HOST_A, HOST_B] })
			.reply(200, envelope([device(HOST_A, 'containment_pending'), device(HOST_B, 'normal')]));
		const result = await run(contain(), { input: items([HOST_A, HOST_B]) });
		expect(result.error).toBeUndefined();
		const [a, b] = json(result.items);
		expect(a).toMatchObject({ host_id: HOST_A, result: 'containment_pending' });
		expect(a.error).toBeUndefined();
		expect(b).toMatchObject({ host_id: HOST_B, result: 'failed', code: 500, trace_id: 'trace-ok' });
		expect(String(b.error)).toContain('partial failure (Falcon did not report this host as accepted for contain, and its status is "normal")');
		expect(api.isDone()).toBe(true);
	});

	it('errors without an id are each charged to the host their message names, and only one naming none goes with the rest', async () => {
		const api = askedToContain(HOST_A, HOST_B, HOST_C)
			.reply(
				202,
				accepted(
					[HOST_A],
					[
						{ code: 400, message: `device ${HOST_B} is offline and cannot be contained` },
						{ code: 400, message: `device ${HOST_C.toUpperCase()}: unsupported platform` },
					],
				),
			)
			.post(DEVICES.details, { ids: [HOST_B, HOST_C] })
			.reply(200, envelope([device(HOST_B, 'normal'), device(HOST_C, 'normal')]))
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'containment_pending')]));
		const result = await run(contain(), { input: items([HOST_A, HOST_B, HOST_C]) });
		expect(result.error).toBeUndefined();
		expect(json(result.items).map(({ host_id, result: outcome, error }) => [host_id, outcome, error])).toEqual([
			[HOST_A, 'containment_pending', undefined],
			[HOST_B, 'failed', `device ${HOST_B} is offline and cannot be contained`],
			[HOST_C, 'failed', `device ${HOST_C.toUpperCase()}: unsupported platform`],
		]);
		expect(api.isDone()).toBe(true);
	});

	it('a 400 that lists the hosts Falcon acted on beside the ones it refused is read host by host: the accepted ones are not reported failed', async () => {
		const api = askedToContain(HOST_A, HOST_B)
			.reply(400, {
				meta: meta({ trace_id: 'trace-400' }),
				resources: [{ id: HOST_A, path: '' }],
				errors: [{ code: 400, id: HOST_B, message: 'host platform not supported for containment' }],
			})
			.post(DEVICES.details, { ids: [HOST_B] })
			.reply(200, envelope([device(HOST_B, 'normal')]))
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'containment_pending')]));
		const result = await run(contain(), { input: items([HOST_A, HOST_B]) });
		expect(result.error).toBeUndefined();
		const [a, b] = json(result.items);
		expect(a).toMatchObject({ host_id: HOST_A, result: 'containment_pending', status_after: 'containment_pending' });
		expect(a.error).toBeUndefined();
		expect(b).toMatchObject({
			host_id: HOST_B,
			result: 'failed',
			error: 'host platform not supported for containment',
			code: 400,
			trace_id: 'trace-400',
		});
		expect(api.isDone()).toBe(true);
	});

	it('reads Wait Until Contained given as the text "true" by an expression', async () => {
		const api = askedToContain(HOST_A)
			.reply(202, accepted([HOST_A]))
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'containment_pending')]))
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'contained')]));
		const result = await run(contain({ wait: '={{ "true" }}', pollIntervalSeconds: 0.5 }), { input: items([HOST_A]) });
		expect(result.error).toBeUndefined();
		expect(json(result.items)[0]).toMatchObject({ host_id: HOST_A, result: 'contained', status_after: 'contained' });
		expect(api.isDone()).toBe(true);
	});

	it('sends nothing for hosts already contained or on the way, and still reports their status', async () => {
		const api = falcon()
			.post(DEVICES.details, { ids: [HOST_A, HOST_B] })
			.reply(200, envelope([device(HOST_A, 'contained'), device(HOST_B, 'containment_pending')]))
			.post(DEVICES.details, { ids: [HOST_B] })
			.reply(200, envelope([device(HOST_B, 'containment_pending')]));
		const result = await run(contain(), { input: items([HOST_A, HOST_B]) });
		expect(result.error).toBeUndefined();
		expect(json(result.items).map(({ host_id, status_before, status_after, result }) => ({ host_id, status_before, status_after, result }))).toEqual([
			{ host_id: HOST_A, status_before: 'contained', status_after: 'contained', result: 'already_contained' },
			{ host_id: HOST_B, status_before: 'containment_pending', status_after: 'containment_pending', result: 'containment_pending' },
		]);
		expect(api.isDone()).toBe(true);
	});

	it('a host that is not in Falcon is reported not_found, and nothing else is sent', async () => {
		const api = falcon().post(DEVICES.details, { ids: [HOST_D] }).reply(200, envelope([]));
		const result = await run({ resource: 'host', operation: 'contain', hostId: byId(HOST_D), options: {} });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			{ host_id: HOST_D, hostname: null, platform_name: null, action: 'contain', status_before: null, status_after: null, result: 'not_found', last_seen: null },
		]);
		expect(api.isDone()).toBe(true);
	});

	it('Wait Until Contained reads the hosts again until every one is contained', async () => {
		const started = Date.now();
		const api = askedToContain(HOST_A, HOST_B)
			.reply(202, accepted([HOST_A, HOST_B]))
			.post(DEVICES.details, { ids: [HOST_A, HOST_B] })
			.reply(200, envelope([device(HOST_A, 'containment_pending'), device(HOST_B, 'containment_pending')]))
			.post(DEVICES.details, { ids: [HOST_A, HOST_B] })
			.reply(200, envelope([device(HOST_A, 'contained'), device(HOST_B, 'containment_pending')]))
			// Only the host still waiting is read again.
			.post(DEVICES.details, { ids: [HOST_B] })
			.reply(200, envelope([device(HOST_B, 'contained')]));
		const result = await run(contain({ wait: true, pollIntervalSeconds: 0.5, deadlineSeconds: 30 }), { input: items([HOST_A, HOST_B]) });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			hostResult(HOST_A, { action: 'contain', status_before: 'normal', status_after: 'contained', result: 'contained' }),
			hostResult(HOST_B, { action: 'contain', status_before: 'normal', status_after: 'contained', result: 'contained' }),
		]);
		expect(api.isDone()).toBe(true);
		// Two pauses of the poll interval between the three reads.
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	it('Wait Until Contained ends at the deadline with the host still containment_pending, without an error', async () => {
		const started = Date.now();
		let reads = 0;
		const api = askedToContain(HOST_A)
			.reply(202, accepted([HOST_A]))
			.post(DEVICES.details, { ids: [HOST_A] })
			.times(20)
			.reply(() => {
				reads++;
				return [200, envelope([device(HOST_A, 'containment_pending')])];
			});
		const result = await run(contain({ wait: true, pollIntervalSeconds: 0.5, deadlineSeconds: 1 }), { input: items([HOST_A]) });
		const elapsed = Date.now() - started;
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			hostResult(HOST_A, { action: 'contain', status_before: 'normal', status_after: 'containment_pending', result: 'containment_pending' }),
		]);
		expect(reads).toBeGreaterThanOrEqual(2);
		expect(reads).toBeLessThanOrEqual(4);
		expect(elapsed).toBeGreaterThanOrEqual(1000);
		expect(elapsed).toBeLessThan(4000);
		expect(api.pendingMocks()).toHaveLength(1);
	});

	it('sends at most 100 hosts per PerformActionV2 call, and reads their details in one call', async () => {
		const aids = Array.from({ length: 101 }, (_, n) => (n + 1).toString(16).padStart(32, 'a'));
		const api = falcon()
			.post(DEVICES.details, { ids: aids })
			.reply(200, envelope(aids.map((aid) => device(aid, 'normal'))))
			.post(DEVICES.action, { ids: aids.slice(0, 100) })
			.query({ action_name: 'contain' })
			.reply(202, accepted(aids.slice(0, 100)))
			.post(DEVICES.action, { ids: aids.slice(100) })
			.query({ action_name: 'contain' })
			.reply(202, accepted(aids.slice(100)))
			.post(DEVICES.details, { ids: aids })
			.reply(200, envelope(aids.map((aid) => device(aid, 'containment_pending'))));
		const result = await run(contain(), { input: items(aids) });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(101);
		expect(result.items[100]).toEqual({
			json: expect.objectContaining({ host_id: aids[100], result: 'containment_pending' }),
			pairedItem: { item: 100 },
		});
		expect(api.isDone()).toBe(true);
	});

	it('a call Falcon refuses as a whole with a 4xx fails the node, naming Falcon\'s error: nothing was done, whatever the host shows', async () => {
		const api = askedToContain(HOST_A)
			.reply(403, falconErrors(403, 'access denied, authorization failed', 'trace-403'))
			// Someone else's containment under way does not hide the missing scope: the host is not read again.
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'containment_pending')]));
		const result = await run(contain(), { input: items([HOST_A]) });
		expect(result.error?.message).toContain('access denied');
		expect(result.items).toEqual([]);
		expect(api.pendingMocks()).toEqual([expect.stringContaining(DEVICES.details)]);
	});

	it('a call that failed as a whole with a 5xx fails the node with that error when the hosts cannot be read again', async () => {
		const api = askedToContain(HOST_A)
			.reply(500, falconErrors(500, 'gateway timeout', 'trace-500'))
			.post(DEVICES.details, { ids: [HOST_A] })
			.times(3)
			.reply(503, falconErrors(503, 'unavailable'));
		const result = await run(contain(), { input: items([HOST_A]) });
		expect(result.error?.message).toContain('gateway timeout');
		expect(result.items).toEqual([]);
		expect(api.isDone()).toBe(true);
	});

	it.each([
		[
			'a 500 from a gateway',
			{ status: 500, body: falconErrors(500, 'gateway timeout', 'trace-500'), headers: {} },
			{ code: 500, trace_id: 'trace-500', error: expect.stringContaining('gateway timeout') },
		],
		[
			"a proxy's page, whose status is not Falcon's",
			{ status: 200, body: '<html><body>Session expired: sign in to the proxy</body></html>', headers: { 'Content-Type': 'text/html' } },
			{ error: expect.stringContaining('with text/html, not JSON (HTTP 200)') },
		],
	])('a call that failed as a whole after Falcon may have acted (%s) reports the hosts whose status shows the action, and fails the others', async (_, answer, failure) => {
		askedToContain(HOST_A, HOST_B)
			.reply(answer.status, answer.body, answer.headers)
			.post(DEVICES.details, { ids: [HOST_A, HOST_B] })
			.reply(200, envelope([device(HOST_A, 'containment_pending'), device(HOST_B, 'normal')]))
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'containment_pending')]));
		const result = await run(contain(), { input: items([HOST_A, HOST_B]) });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			expect.objectContaining({ host_id: HOST_A, status_after: 'containment_pending', result: 'containment_pending' }),
			expect.objectContaining({ host_id: HOST_B, result: 'failed', ...failure }),
		]);
		expect(json(result.items)[0]).not.toHaveProperty('error');
	});

	it('with Continue On Fail, a call refused as a whole becomes one error item per valid input item', async () => {
		askedToContain(HOST_A, HOST_B)
			.reply(403, falconErrors(403, 'access denied, authorization failed'));
		const result = await run(contain(), { input: items([HOST_A, HOST_B]), continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [String(item.json.error), item.pairedItem])).toEqual([
			[expect.stringContaining('access denied'), { item: 0 }],
			[expect.stringContaining('access denied'), { item: 1 }],
		]);
	});

	it('reads the hosts once when Falcon answers 404 for an unknown one with the others it found', async () => {
		const asked: unknown[] = [];
		falcon()
			.post(DEVICES.details, (body: { ids: string[] }) => asked.push(body.ids) > 0)
			.times(5)
			.reply(404, { meta: meta(), resources: [device(HOST_A, 'contained')], errors: [{ code: 404, id: HOST_B, message: `not found: ${HOST_B}` }] });
		const result = await run(contain(), { input: items([HOST_A, HOST_B]) });
		nock.cleanAll();
		expect(asked).toEqual([[HOST_A, HOST_B]]);
		expect(json(result.items).map((item) => [item.host_id, item.result])).toEqual([
			[HOST_A, 'already_contained'],
			[HOST_B, 'not_found'],
		]);
	});

	it('with Wait Until Contained, does not wait out the Deadline for a host Falcon refused without naming it', async () => {
		let reads = 0;
		falcon()
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'normal')]))
			.post(DEVICES.action, { ids: [HOST_A] })
			.query({ action_name: 'contain' })
			.reply(409, { meta: meta(), resources: [], errors: [{ code: 409, message: 'Conflict: sensor in reduced functionality mode' }] })
			.post(DEVICES.details, { ids: [HOST_A] })
			.times(100)
			.reply(() => {
				reads++;
				return [200, envelope([device(HOST_A, 'normal')])];
			});
		const started = Date.now();
		const result = await run({
			resource: 'host',
			operation: 'contain',
			hostId: byId(HOST_A),
			options: { wait: true, deadlineSeconds: 6, pollIntervalSeconds: 0.5 },
		});
		// The reads a Deadline-long wait would have made are left unused.
		nock.cleanAll();
		// Two looks after the call showed nothing under way: not the Deadline's dozen.
		expect(reads).toBe(2);
		expect(Date.now() - started).toBeLessThan(4_000);
		expect(json(result.items)).toEqual([
			expect.objectContaining({ host_id: HOST_A, result: 'failed', status_after: 'normal', error: expect.stringContaining('sensor in reduced functionality mode') }),
		]);
	}, 15_000);
});

describe('Host > Lift Containment (PerformActionV2 action_name=lift_containment)', () => {
	it('lifts contained hosts, leaves normal ones alone (not_contained) and lists each host once', async () => {
		const api = falcon()
			.post(DEVICES.details, { ids: [HOST_A, HOST_B, HOST_C] })
			.reply(200, envelope([device(HOST_A, 'contained'), device(HOST_B, 'normal'), device(HOST_C, 'lift_containment_pending')]))
			.post(DEVICES.action, { ids: [HOST_A] })
			.query({ action_name: 'lift_containment' })
			.reply(202, accepted([HOST_A]))
			.post(DEVICES.details, { ids: [HOST_A, HOST_C] })
			.reply(200, envelope([device(HOST_A, 'lift_containment_pending'), device(HOST_C, 'normal')]));
		const result = await run(lift(), { input: items([HOST_A, HOST_B, HOST_C, HOST_A]) });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{
				json: hostResult(HOST_A, { action: 'lift_containment', status_before: 'contained', status_after: 'lift_containment_pending', result: 'lift_containment_pending' }),
				pairedItem: [{ item: 0 }, { item: 3 }],
			},
			{
				json: hostResult(HOST_B, { action: 'lift_containment', status_before: 'normal', status_after: 'normal', result: 'not_contained' }),
				pairedItem: { item: 1 },
			},
			{
				json: hostResult(HOST_C, { action: 'lift_containment', status_before: 'lift_containment_pending', status_after: 'normal', result: 'normal' }),
				pairedItem: { item: 2 },
			},
		]);
		expect(api.isDone()).toBe(true);
	});

	it('Wait Until Lifted polls until the host is normal', async () => {
		const api = falcon()
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'contained')]))
			.post(DEVICES.action, { ids: [HOST_A] })
			.query({ action_name: 'lift_containment' })
			.reply(202, accepted([HOST_A]))
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'lift_containment_pending')]))
			.post(DEVICES.details, { ids: [HOST_A] })
			.reply(200, envelope([device(HOST_A, 'normal')]));
		const result = await run(lift({ wait: true, pollIntervalSeconds: 0.5, deadlineSeconds: 10 }), { input: items([HOST_A]) });
		expect(result.error).toBeUndefined();
		expect(json(result.items)).toEqual([
			hostResult(HOST_A, { action: 'lift_containment', status_before: 'contained', status_after: 'normal', result: 'normal' }),
		]);
		expect(api.isDone()).toBe(true);
	});
});
