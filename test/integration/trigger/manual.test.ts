import type { IDataObject } from 'n8n-workflow';

import type { RunningSimulator } from '../../../simulator';
import { runNode } from '../../harness/runWorkflow';
import type { RunningTrigger } from '../../harness/runTrigger';
import { activate, credentialsFor, fastSimulator, inject, triggerParameters, untilEmitted, wait } from './helpers';

const TRIGGER = 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconTrigger';
let sim: RunningSimulator;
let active: RunningTrigger | undefined;

afterEach(async () => {
	await active?.close();
	active = undefined;
	await sim?.close();
});

it('"Fetch Test Event" returns a real event, with its own App ID, while the published workflow keeps its stream', async () => {
	sim = await fastSimulator();
	inject(sim, 3);
	active = await activate(sim, triggerParameters({ startFrom: 'stored' }, { appId: 'socContainment01' }));
	await untilEmitted(active, ['0:0', '0:1', '0:2']);

	const test = await runNode(TRIGGER, triggerParameters({ filters: { minSeverity: 'informational' } }, { appId: 'socContainment01' }), credentialsFor(sim));
	expect(test.error).toBeUndefined();
	expect(test.items).toHaveLength(1);
	const item = test.items[0].json;
	expect(item).toMatchObject({ metadata: { eventType: 'EppDetectionSummaryEvent', offset: 0 }, event: expect.objectContaining({ SeverityName: expect.any(String) }) });
	expect((item.stream as IDataObject).appId).toMatch(/^socContainment01test[A-Za-z0-9]{4}$/);

	// The published trigger never lost its feed, and its stored position was not touched by the test run.
	const fresh = inject(sim, 1);
	await untilEmitted(active, fresh);
	expect(active.errors).toEqual([]);
});

it('a test run honours "Offset" and reports configuration errors to the editor', async () => {
	sim = await fastSimulator();
	inject(sim, 5);
	const atOffset = await runNode(TRIGGER, triggerParameters({ startFrom: 'offset', startOffsets: '3' }), credentialsFor(sim));
	expect((atOffset.items[0].json.metadata as IDataObject).offset).toBe(3);

	const forbidden = await fastSimulator({ faults: { serverErrors: [{ pathPrefix: '/sensors/entities/datafeed/v2', count: 1, status: 403 }] } });
	try {
		const denied = await runNode(TRIGGER, triggerParameters(), credentialsFor(forbidden));
		expect(denied.error?.message).toMatch(/403/);
	} finally {
		await forbidden.close();
	}
});

it('a test run that ends with the outage error stops following the stream', async () => {
	sim = await fastSimulator({ faults: { serverErrors: [{ pathPrefix: '/sensors/entities/datafeed/v2', count: 1_000_000, status: 503 }] } });
	const discoveries = () => sim.state().requests.filter((request) => request.path === '/sensors/entities/datafeed/v2').length;
	const test = await runNode(TRIGGER, triggerParameters({}, { alertAfterDownMinutes: 0.01 }), credentialsFor(sim));
	expect(test.error?.message).toMatch(/503|down|not/i);
	const atEnd = discoveries();
	await wait(2_000);
	expect(discoveries()).toBe(atEnd);
});
