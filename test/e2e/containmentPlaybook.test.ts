import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { exampleWorkflows } from '../../scripts/runtime/n8n-instance';
import { useFalconN8n } from './harness/falcon-n8n-suite';
import { unflattenExecution } from './harness/executionData';
import { waitFor } from './harness/wait-for';

// examples/event-triggered-containment.json published in a real `n8n start`: a detection injected into the
// simulator starts it; the approval is given on the form whose URL the run itself wrote into "Approval Request",
// exactly as a person would (opening the link alone decides nothing). The simulator's own API is the oracle: host contained, alert in_progress
// with the comment. A second detection is never approved: the wait times out and nothing is contained. A third host
// goes offline before the approval: Falcon leaves it pending, and the alert says so instead of "contained".

const PLAYBOOK = 'Event-triggered containment';
const APPROVAL_TIMEOUT_SECONDS = 15;
const PROTECTED_TAG = 'FalconGroupingTags/protected';
const playbookId = exampleWorkflows({ id: '', name: '' }).find((workflow) => workflow.name === PLAYBOOK)!.id!;

const suite = useFalconN8n('containment-playbook', {
	simulator: { commandCompleteAfterMs: 300, containmentDelayMs: 1_500 },
	server: true,
	workflows: (s) => {
		const playbook = exampleWorkflows(s.credential).find((workflow) => workflow.id === playbookId)!;
		// Shorter waits than the example ships with, so the suite runs in seconds; everything else is as shipped.
		for (const node of playbook.nodes) {
			if (node.name === 'Wait for Approval') {
				Object.assign(node.parameters, { resumeAmount: APPROVAL_TIMEOUT_SECONDS, resumeUnit: 'seconds' });
			}
			if (node.name === 'Contain Host') {
				Object.assign(node.parameters.options as IDataObject, { pollIntervalSeconds: 0.5, deadlineSeconds: 20 });
			}
			if (node.name === 'Processes' || node.name === 'Connections') {
				Object.assign(node.parameters.options as IDataObject, { pollIntervalSeconds: 0.2 });
			}
			if (node.name === 'Falcon Detection') {
				Object.assign(node.parameters.options as IDataObject, { whenNothingStored: 'oldest' });
			}
		}
		return [playbook];
	},
	publish: [playbookId],
});

interface Execution {
	id: string;
	status: string;
}

/** The output items of every node of an execution, by node name. */
async function outputs(executionId: string): Promise<Record<string, IDataObject[]>> {
	const full = await suite.rest.get<{ data: string }>(`/executions/${executionId}`);
	const runData = unflattenExecution(full.data).resultData.runData;
	return Object.fromEntries(
		Object.entries(runData).map(([node, runs]) => [
			node,
			runs.flatMap((run) => run.data?.main?.[0] ?? []).map((item) => item.json),
		]),
	);
}

async function executionFor(hostId: string, status: (s: string) => boolean): Promise<Execution> {
	return await waitFor(
		`an execution for host ${hostId}`,
		async () => {
			for (const execution of await suite.executions(playbookId)) {
				if (!status(execution.status)) continue;
				const host = (await outputs(execution.id))['Get Host']?.[0];
				if (host?.device_id === hostId) return execution;
			}
			return undefined;
		},
		{ timeoutMs: 120_000, intervalMs: 1_000 },
	);
}

/** The waiting run once it has finished, by n8n's records. */
async function finished(run: Execution, what: string, timeoutMs = 90_000): Promise<Execution> {
	return await waitFor(
		what,
		async () => (await suite.executions(playbookId)).find((execution) => execution.id === run.id && execution.status === 'success'),
		{ timeoutMs, intervalMs: 1_000 },
	);
}

async function hostStatus(hostId: string): Promise<IDataObject> {
	return (await suite.falcon.post<IDataObject>('/devices/entities/devices/v2', { ids: [hostId] })).resources[0];
}

async function alertOf(compositeId: string): Promise<IDataObject> {
	return (await suite.falcon.post<IDataObject>('/alerts/entities/alerts/v2', { composite_ids: [compositeId] }))
		.resources[0];
}

function detection(hostId: string): string {
	const placed = suite.simulator.injectEvent({
		eventType: 'EppDetectionSummaryEvent',
		event: { AgentId: hostId, SensorId: hostId, Severity: 90, SeverityName: 'Critical' },
	});
	return `${placed.partition}:${placed.offset}`;
}

/** n8n listens on 127.0.0.1; the URLs it writes say localhost. */
function local(url: string): string {
	return url.replace('//localhost:', '//127.0.0.1:');
}

/** Submits the approval form as the browser does: its fields in order, as multipart form data. */
async function decide(formUrl: string, decision: 'Approve' | 'Reject', approver: string): Promise<Response> {
	const form = new FormData();
	form.append('field-0', decision);
	form.append('field-1', approver);
	return await fetch(local(formUrl), { method: 'POST', body: form });
}

/** Online hosts as the simulator's own Hosts API describes them: not contained, not tagged protected, no DC. */
async function candidateHosts(): Promise<{ normal: string[]; protectedHost: string }> {
	const online = new Set(suite.simulator.fleet.filter((host) => host.online).map((host) => host.aid));
	const ids = (await suite.falcon.get<string>('/devices/queries/devices/v1', { limit: 100 })).resources;
	const hosts = (await suite.falcon.post<IDataObject>('/devices/entities/devices/v2', { ids })).resources;
	const isProtected = (host: IDataObject) => ((host.tags ?? []) as string[]).includes(PROTECTED_TAG);
	const onlineHosts = hosts.filter((host) => online.has(String(host.device_id)));
	return {
		normal: onlineHosts
			.filter((host) => host.status === 'normal' && !isProtected(host) && host.product_type_desc !== 'Domain Controller')
			.map((host) => String(host.device_id)),
		protectedHost: String(onlineHosts.find(isProtected)?.device_id),
	};
}

test('a detection runs the playbook: triage, approval on the form (opening its link decides nothing), host contained, alert updated', async () => {
	const [hostId] = (await candidateHosts()).normal;
	expect((await hostStatus(hostId)).status).toBe('normal');
	detection(hostId);

	const waiting = await executionFor(hostId, (status) => status === 'waiting');
	const before = await outputs(waiting.id);
	const compositeId = String(before['Get Alert'][0].composite_id);
	expect(before['Processes'][0]).toMatchObject({ status: 'success' });
	expect(before['Connections'][0]).toMatchObject({ status: 'success' });
	const formUrl = String(before['Approval Request'][0].form_url);
	expect(formUrl).toContain(`/form-waiting/${waiting.id}`);

	// Opening the link (a mail gateway's link checker, a chat preview) shows the form and decides nothing.
	const opened = await fetch(local(formUrl));
	expect(opened.status).toBe(200);
	expect(await opened.text()).toContain('Approver');
	await sleep(1_500);
	expect((await suite.executions(playbookId)).find((run) => run.id === waiting.id)?.status).toBe('waiting');

	// The form as a person submits it.
	expect((await decide(formUrl, 'Approve', 'e2e-analyst')).status).toBe(200);

	const done = await finished(waiting, 'the approved run to finish');
	const after = await outputs(done.id);
	expect(after['Summary'][0]).toMatchObject({
		outcome: 'contained',
		host_id: hostId,
		containment: 'contained',
		approved_by: 'e2e-analyst',
		alert_updated: true,
	});
	expect(after['Contain Host'][0]).toMatchObject({ status_before: 'normal', status_after: 'contained' });

	expect((await hostStatus(hostId)).status).toBe('contained');
	const alert = await alertOf(compositeId);
	expect(alert.status).toBe('in_progress');
	expect(JSON.stringify(alert)).toContain('approved by e2e-analyst');
	expect(alert.tags).toContain('contained_by_n8n');
});

test('a detection that is never approved times out as "not approved": nothing is contained, the alert says why', async () => {
	const hostId = (await candidateHosts()).normal[1];
	expect((await hostStatus(hostId)).status).toBe('normal');
	detection(hostId);

	const waiting = await executionFor(hostId, (status) => status === 'waiting');
	const compositeId = String((await outputs(waiting.id))['Get Alert'][0].composite_id);
	// n8n's wait tracker looks for due executions once a minute.
	const done = await finished(waiting, 'the unapproved run to time out and finish', 150_000);
	const after = await outputs(done.id);
	expect(after['Not Approved'][0]).toMatchObject({ outcome: 'not_approved', host_id: hostId });
	expect(after['Contain Host']).toBeUndefined();

	expect((await hostStatus(hostId)).status).toBe('normal');
	const containCalls = suite.simulator
		.state()
		.requests.filter((request) => request.path === '/devices/entities/devices-actions/v2');
	expect(containCalls).toHaveLength(1);
	const alert = await alertOf(compositeId);
	expect(alert.status).toBe('new');
	expect(JSON.stringify(alert)).toContain('was not approved (no answer within');
});

test('a detection rejected on the form: nothing is contained, the alert says who rejected it', async () => {
	const hostId = (await candidateHosts()).normal[3];
	expect(hostId).toMatch(/^[0-9a-f]{32}$/);
	detection(hostId);
	const waiting = await executionFor(hostId, (status) => status === 'waiting');
	const before = await outputs(waiting.id);
	expect((await decide(String(before['Approval Request'][0].form_url), 'Reject', 'e2e-lead')).status).toBe(200);
	const done = await finished(waiting, 'the rejected run to finish');
	const after = await outputs(done.id);
	expect(after['Not Approved'][0]).toMatchObject({ outcome: 'not_approved', host_id: hostId });
	expect(after['Contain Host']).toBeUndefined();
	expect((await hostStatus(hostId)).status).toBe('normal');
	expect(JSON.stringify(await alertOf(String(before['Get Alert'][0].composite_id)))).toContain('was not approved (rejected by e2e-lead)');
});

test('a host that goes offline before the approval stays pending: the alert is noted "not confirmed", not "contained"', async () => {
	const hostId = (await candidateHosts()).normal[2];
	expect(hostId).toMatch(/^[0-9a-f]{32}$/);
	detection(hostId);

	const waiting = await executionFor(hostId, (status) => status === 'waiting');
	const before = await outputs(waiting.id);
	const compositeId = String(before['Get Alert'][0].composite_id);
	suite.simulator.setFaults({ offlineHosts: [hostId] });
	try {
		expect((await decide(String(before['Approval Request'][0].form_url), 'Approve', 'e2e-analyst')).status).toBe(200);
		const done = await finished(waiting, 'the approved run to give up waiting for the offline host and finish');
		const after = await outputs(done.id);
		expect(after['Contain Host'][0]).toMatchObject({ host_id: hostId, result: 'containment_pending', status_before: 'normal' });
		expect(after['Not Contained'][0]).toMatchObject({ outcome: 'containment_not_confirmed', host_id: hostId, containment: 'containment_pending' });
		expect(after['Summary']).toBeUndefined();
		expect((await hostStatus(hostId)).status).toBe('containment_pending');
		const alert = await alertOf(compositeId);
		expect(alert.status).toBe('new');
		expect(alert.tags).toContain('containment_unconfirmed');
		expect(alert.tags).not.toContain('contained_by_n8n');
		expect(JSON.stringify(alert)).toContain('Falcon did not confirm it (result: containment_pending');
	} finally {
		suite.simulator.setFaults({ offlineHosts: [] });
	}
});

test('a detection on a host tagged protected is skipped before any triage, and the alert says why', async () => {
	const { protectedHost } = await candidateHosts();
	expect(protectedHost).toMatch(/^[0-9a-f]{32}$/);
	// The alert update meets a gateway's 503 once: the note is written on the node's retry, not lost.
	suite.simulator.setFaults({ serverErrors: [{ pathPrefix: '/alerts/entities/alerts/v3', count: 1, status: 503 }] });
	detection(protectedHost);
	const done = await executionFor(protectedHost, (status) => status === 'success');
	const after = await outputs(done.id);
	expect(after['Skipped'][0]).toMatchObject({ outcome: 'skipped', reason: 'host is tagged protected' });
	expect(after['Processes']).toBeUndefined();
	const alert = await alertOf(String(after['Skipped'][0].alert_id));
	expect(alert.status).toBe('new');
	expect(JSON.stringify(alert)).toContain('n8n did not contain');
	expect(JSON.stringify(alert)).toContain('host is tagged protected');
	const patches = suite.simulator.state().requests.filter((request) => request.path === '/alerts/entities/alerts/v3');
	expect(patches.map((request) => request.status).slice(-2)).toEqual([503, 200]);
});
