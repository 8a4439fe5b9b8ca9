/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: reads the example as shipped */
import { readFileSync } from 'fs';
import { join } from 'path';

// The containment playbook's gate and its Skipped reason, evaluated as n8n evaluates them (the e2e suite runs the
// protected-host path in a real n8n; these are the other paths, one by one).

interface PlaybookNode {
	name: string;
	parameters: Record<string, unknown>;
}

const playbook = JSON.parse(readFileSync(join(__dirname, '../../../examples/event-triggered-containment.json'), 'utf8')) as {
	nodes: PlaybookNode[];
};
const node = (name: string) => playbook.nodes.find((candidate) => candidate.name === name)!;

type Host = Record<string, unknown>;
type Alert = Record<string, unknown>;

function expression(text: string): (host: Host, alert: Alert) => unknown {
	const code = /^=\{\{(.*)\}\}$/s.exec(text)![1];
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- the example's own expression, evaluated as n8n would
	const evaluate = new Function('$json', '$', `return (${code});`) as (json: Host, lookup: (name: string) => unknown) => unknown;
	return (host, alert) => evaluate(host, (name) => (name === 'Get Alert' ? { item: { json: alert } } : undefined));
}

const gate = node('Already Contained or Protected?').parameters as { conditions: { conditions: Array<{ leftValue: string }> } };
const skips = expression(gate.conditions.conditions[0].leftValue);
const assignments = (node('Skipped').parameters as { assignments: { assignments: Array<{ name: string; value: string }> } }).assignments.assignments;
const reasonOf = expression(assignments.find((assignment) => assignment.name === 'reason')!.value);

const host = (extra: Host = {}): Host => ({ status: 'normal', tags: [], product_type_desc: 'Workstation', ...extra });
const alert = (status = 'new'): Alert => ({ status });

it.each([
	['an alert someone closed', host(), alert('closed'), 'alert is already closed'],
	['a host tagged protected, in any case', host({ tags: ['FalconGroupingTags/Protected'] }), alert(), 'host is tagged protected'],
	['a Domain Controller', host({ product_type_desc: 'Domain Controller' }), alert(), 'host is a Domain Controller: contain it by hand, if at all'],
	['a host already contained', host({ status: 'contained' }), alert(), 'host is already contained'],
	['a host whose containment is pending', host({ status: 'containment_pending' }), alert(), 'host is already containment_pending'],
])('skips %s, saying why', (_case, candidate, detection, reason) => {
	expect(skips(candidate, detection)).toBe(true);
	expect(reasonOf(candidate, detection)).toBe(reason);
});

it('goes on to triage for a workstation or server, normal, untagged, with its alert open', () => {
	for (const candidate of [host(), host({ product_type_desc: 'Server', tags: ['FalconGroupingTags/web'] })]) {
		expect(skips(candidate, alert('new'))).toBe(false);
		expect(skips(candidate, alert('in_progress'))).toBe(false);
	}
});
