import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { HostGroup } from '../../shared/hosts/hostGroups';
import { sendInHostOrder } from '../../shared/hosts/sendInHostOrder';

import { keepRefreshing, refreshBatch } from './batch';
import type { WaitPlan } from './poll';
import { waitPlanFrom } from './waitOptions';

/** A batch whose call went out, waiting to be finished once every batch of the run was sent. */
export interface SentBatch<T> {
	finish(): Promise<T>;
	/** Stops keeping the batch's sessions alive, when the run ends without finishing it (another batch failed). */
	abandon(): Promise<void>;
}

/**
 * Its sessions are refreshed until `finish` starts: other batches may be sent for minutes yet. `finish` gets the wait
 * plan of the batch's options, its Deadline counted as if it had run alone (the time later batches took to be sent
 * does not count) and its sessions last used when its call went out.
 */
export function sentBatch<T>(
	context: IExecuteFunctions,
	sent: { batchId?: string; startedAt: number; itemIndex: number; wait: IDataObject },
	finish: (plan: WaitPlan) => Promise<T>,
): SentBatch<T> {
	const { batchId, startedAt, itemIndex } = sent;
	const sentAt = Date.now();
	const stopRefreshing = batchId ? keepRefreshing(context, batchId, sentAt, itemIndex) : async () => undefined;
	return {
		abandon: stopRefreshing,
		finish: async () => {
			await stopRefreshing();
			const refresh = batchId ? async () => await refreshBatch(context, batchId, itemIndex) : undefined;
			const ownStart = Date.now() - (sentAt - startedAt);
			return await finish({ ...waitPlanFrom(context, sent.wait, itemIndex, refresh, ownStart), sessionsUsedAt: sentAt });
		},
	};
}

/**
 * Every group's batch is sent first (several at once, each host's in the items' order: see sendInHostOrder), then the
 * batches are finished together, each until its own Deadline: a host slow to answer one item's call delays no other
 * item's (one command line or one file per detection is the usual playbook).
 */
export async function sendThenFinish(
	groups: HostGroup[],
	send: (group: HostGroup) => Promise<SentBatch<INodeExecutionData[]>>,
): Promise<INodeExecutionData[]> {
	const sent = await sendInHostOrder(groups, send, async (batch) => await batch.abandon());
	const outputs = await Promise.all(sent.map(async (batch) => await batch.finish()));
	return outputs.flat();
}
