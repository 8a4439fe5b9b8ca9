import { derivedAppId, stableHash } from '../shared/stream/appId';

/** n8n stores the key in `execution_entity.deduplicationKey`, a varchar(255) unique across all workflows. */
const MAX_KEY_LENGTH = 255;

/**
 * The execution's key for n8n 2.x (`emit`'s fourth argument): n8n refuses to start a second execution with a key
 * it still has a record of, and resolves the done promise without running anything. Derived from the workflow
 * and node (never the configurable App ID, which another workflow may take over), the epoch and the offsets, so
 * the same events give the same key after a restart. Batches spanning many partitions get a hash of their ranges.
 */
export function deduplicationKey(workflowId: string | undefined, nodeId: string, epoch: string, ranges: string): string {
	const prefix = `falcon:${derivedAppId(workflowId, nodeId)}:${epoch}:`;
	const key = `${prefix}${ranges}`;
	return key.length <= MAX_KEY_LENGTH ? key : `${prefix}#${stableHash(ranges, 14)}`;
}
