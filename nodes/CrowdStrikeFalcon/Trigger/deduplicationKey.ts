import { derivedAppId, stableHash } from '../shared/stream/appId';

/**
 * n8n stores the key in `execution_entity.deduplicationKey`, a varchar(255) unique across all workflows. A key is
 * kept 20 characters shorter, for the suffix of a later attempt at the same events (`:r2`, `:r123456`; see
 * runToCompletion).
 */
const MAX_KEY_LENGTH = 255 - 20;

/**
 * The execution's key for n8n 2.x (`emit`'s fourth argument): n8n refuses to start a second execution with a key
 * it still has a record of, and resolves the done promise without running anything. Derived from the workflow
 * and node (never the configurable App ID, which another workflow may take over), the epoch and the offsets, so
 * the same events give the same key after a restart. Batches spanning many partitions get a hash of their ranges.
 *
 * A child tenant's key names its CID (`falcon:<app>:<cid>:<epoch>:<ranges>`): children number their partitions
 * and offsets alike. The credential's own tenant keeps the key it always had, so executions run before an
 * upgrade are still recognised as repeats after it.
 *
 * Everything but the ranges is fixed for one follower, so that part is worked out once: this returns the
 * function from a batch's ranges to its key.
 */
export function deduplicationKeys(
	workflowId: string | undefined,
	nodeId: string,
	epoch: string,
	childCid?: string,
): (ranges: string) => string {
	const prefix = `falcon:${derivedAppId(workflowId, nodeId)}:${childCid ? `${childCid}:` : ''}${epoch}:`;
	return (ranges) => {
		const key = `${prefix}${ranges}`;
		return key.length <= MAX_KEY_LENGTH ? key : `${prefix}#${stableHash(ranges, 14)}`;
	};
}
