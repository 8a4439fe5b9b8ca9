import type { IDataObject } from 'n8n-workflow';

import { exampleWorkflows } from '../../scripts/runtime/n8n-instance';
import { binaryBytes, extractSevenZip } from './harness/binaryData';
import { useFalconN8n } from './harness/falcon-n8n-suite';
import { falconStep, manualWorkflow, workflowId } from './harness/workflows';

// Run and Wait and Get From Hosts executed by `n8n execute` in a real n8n against the simulator, plus the
// examples/rtr-investigation.json playbook. The binary archive must be in the execution result.

const NODE = 'crowdStrikeFalconRealTimeResponse';
const FILE = 'C:\\Users\\Public\\invoice.docm';
let investigationId = '';

const suite = useFalconN8n('real-time-response', {
	simulator: { commandCompleteAfterMs: 300, fileUploadAfterMs: 300, outputChunkSize: 500 },
	workflows: (s) => {
		const host = s.simulator.fleet[0].aid;
		const step = (name: string, parameters: IDataObject) => falconStep(s, NODE, name, parameters);
		const investigation = exampleWorkflows(s.credential).find((workflow) => workflow.name === 'RTR host investigation')!;
		investigationId = investigation.id!;
		const options = { pollIntervalSeconds: 0.2, deadlineSeconds: 60 };
		return [
			manualWorkflow('rtr run and wait', [
				step('Processes', { resource: 'command', operation: 'runAndWait', hostId: { __rl: true, mode: 'id', value: host }, commandTier: 'readOnly', baseCommand: 'ps', commandLine: 'ps', options }),
			]),
			manualWorkflow('rtr get file', [
				step('Get File', { resource: 'file', operation: 'getFromHosts', hostIds: host, filePath: FILE, options }),
			]),
			investigation,
		];
	},
});

test('run and wait returns the whole output of a command served in several chunks', async () => {
	const run = await suite.execute(workflowId('rtr run and wait'));
	expect(run.error).toBeUndefined();
	const [result] = run.items('Processes');
	expect(result).toMatchObject({ status: 'success', complete: true, stderr: '', session_kept: false });
	expect(result.chunks).toBeGreaterThan(1);
	expect(result.stdout).toContain('CSFalconService.exe');
});

test('get from hosts puts the 7z archive into the execution result as binary data', async () => {
	const run = await suite.execute(workflowId('rtr get file'));
	expect(run.error).toBeUndefined();
	const host = suite.simulator.fleet[0].aid;
	const [result] = run.items('Get File');
	expect(result).toMatchObject({ host_id: host, status: 'success', file_name: `${host}_invoice.docm.7z`, archive_password: 'infected' });
	const binary = run.outputItems('Get File')[0].binary?.data;
	expect(binary).toMatchObject({ fileName: `${host}_invoice.docm.7z`, mimeType: 'application/x-7z-compressed' });
	const content = extractSevenZip(binaryBytes(binary!, suite.n8n.userFolder), 'infected').toString();
	expect(content).toContain(`# ${FILE} on ${suite.simulator.fleet[0].hostname}`);
	expect(Buffer.byteLength(content)).toBe(result.size);
});

test('the RTR investigation example runs end to end', async () => {
	const run = await suite.execute(investigationId);
	expect(run.error).toBeUndefined();
	const [summary] = run.items('Investigation Summary');
	expect(summary).toMatchObject({ file_status: 'success', archive_password: 'infected', status: 'success' });
	expect(summary.processes).toContain('CSFalconService.exe');
	expect(String(summary.connections).length).toBeGreaterThan(0);
	expect(run.outputItems('Investigation Summary')[0].binary?.evidence).toMatchObject({ mimeType: 'application/x-7z-compressed' });
});
