import { catalog } from '../../../nodes/CrowdStrikeFalcon/catalog';
import { CrowdStrikeFalconRealTimeResponse } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/CrowdStrikeFalconRealTimeResponse.node';

const SEED = [
	'RTR_InitSession', 'RTR_PulseSession', 'RTR_DeleteSession', 'RTR_ListSessions', 'RTR_ListAllSessions',
	'RTR_AggregateSessions', 'RTR_ExecuteCommand', 'RTR_CheckCommandStatus', 'RTR_ExecuteActiveResponderCommand',
	'RTR_CheckActiveResponderCommandStatus', 'BatchInitSessions', 'BatchRefreshSessions', 'BatchCmd',
	'BatchActiveResponderCmd', 'BatchGetCmd', 'BatchGetCmdStatus', 'RTR_ListFiles', 'RTR_ListFilesV2', 'RTR_DeleteFile',
	'RTR_DeleteFileV2', 'RTR_GetExtractedFileContents', 'RTR_ListQueuedSessions', 'RTR_DeleteQueuedSession',
];
const CONVENIENCES = ['runAndWait', 'runOnHosts', 'getFromHosts'];

const resources = catalog['Real Time Response'];
const operations = resources.flatMap((resource) => resource.operations.map((operation) => ({ resource: resource.value, ...operation })));

describe('Real Time Response declarations', () => {
	it('declare each of the 23 seed operations once, plus the three conveniences', () => {
		const plain = operations.filter((operation) => !CONVENIENCES.includes(operation.value));
		expect(plain.map((operation) => operation.operationId).sort()).toEqual([...SEED].sort());
		expect(operations.filter((operation) => CONVENIENCES.includes(operation.value))).toHaveLength(3);
	});

	it('name only seed operations in alsoUses, and conveniences say what they call', () => {
		for (const operation of operations) for (const id of operation.alsoUses ?? []) expect(SEED).toContain(id);
		for (const operation of operations.filter((op) => CONVENIENCES.includes(op.value))) {
			expect(operation.alsoUses?.length).toBeGreaterThan(0);
			expect(operation.run ?? operation.runForAllItems).toBeDefined();
		}
	});

	it('have unique values within each resource, and map only fields they declare', () => {
		for (const resource of resources) {
			const values = resource.operations.map((operation) => operation.value);
			expect(new Set(values).size).toBe(values.length);
		}
		for (const operation of operations) {
			const names = new Set(operation.properties.map((property) => property.name));
			for (const key of Object.keys(operation.parameters ?? {})) expect(names).toContain(key.split('.')[0]);
		}
	});

	it('mark every host-changing operation for the AI-agent opt-in', () => {
		const changing = operations.filter((operation) => operation.needsAgentPermission).map((operation) => `${operation.resource}.${operation.value}`);
		expect(changing.sort()).toEqual(
			[
				'batch.executeActiveResponder', 'batch.getFile', 'batch.runOnHosts', 'command.executeActiveResponder',
				'command.runAndWait', 'file.delete', 'file.deleteV1', 'file.getFromHosts',
				// Read-only, but eventlog export and backup write a file on the host.
				'batch.execute', 'command.execute',
				// Only with Hosts to Remove: their sessions expire.
				'batch.refresh',
				// Each cancels what was queued for an offline host.
				'queuedCommand.delete', 'session.delete',
			].sort(),
		);
	});

	it('build node properties the editor can show: every operation reachable from its resource', () => {
		const { properties } = new CrowdStrikeFalconRealTimeResponse().description;
		for (const resource of resources) {
			const selector = properties.find((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.[0] === resource.value);
			expect((selector?.options ?? []).map((option) => (option as { value: string }).value).sort()).toEqual(
				resource.operations.map((operation) => operation.value).sort(),
			);
		}
	});
});
