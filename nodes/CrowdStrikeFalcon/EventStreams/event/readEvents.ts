import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { PreparedRequest } from '../../shared/engine/request';
import { temporaryAppId } from '../../shared/stream/appId';
import { readBoundedSlice, type ReadStart } from '../../shared/stream/boundedRead';
import { withFalconDetails } from '../../shared/stream/failures';
import { resolveEventTypes } from '../../shared/stream/eventTypes';
import { parseOffsets, partitionList } from './offsets';

/** Read Events: one bounded read per input item. */
export async function readEvents(
	this: IExecuteFunctions,
	itemIndex: number,
	{ sent }: PreparedRequest,
): Promise<INodeExecutionData[]> {
	const appId = sent.appId ? String(sent.appId) : temporaryAppId();
	const { eventTypes, warnings } = resolveEventTypes(sent.eventTypes, sent.customEventTypes);
	for (const warning of warnings) this.logger.warn(`CrowdStrike Falcon Event Streams: ${warning}`);
	const partitions = partitionList(sent.partitions);

	const result = await readBoundedSlice({
		api: this,
		feed: this,
		appId,
		eventTypes,
		partitions: partitions.length > 0 ? partitions : undefined,
		start: startOf(sent),
		maxEvents: Number(sent.maxEvents ?? 100),
		timeLimitMs: Number(sent.timeLimitSeconds ?? 30) * 1000,
		idleMs: Number(sent.idleSeconds ?? 3) * 1000,
		signal: this.getExecutionCancelSignal(),
		onTransientFailure: (reason) => this.logger.warn(`CrowdStrike Falcon Event Streams (App ID ${appId}): ${reason}`),
	}).catch(withFalconDetails);

	const pairedItem = { item: itemIndex };
	if (sent.output === 'summary') {
		const summary: IDataObject = {
			count: result.events.length,
			nextOffsets: result.nextOffsets,
			stoppedBecause: result.stoppedBecause,
			appId,
			// Offsets repeat across partitions: partition and offset together name an event.
			events: result.events.map((received) => ({
				...received.data,
				stream: { partition: received.partition, offset: received.offset },
			})),
		};
		if (warnings.length > 0) summary.warnings = warnings;
		return [{ json: summary, pairedItem }];
	}
	return result.events.map((received) => ({
		json: {
			...received.data,
			stream: { partition: received.partition, offset: received.offset, nextOffsets: result.nextOffsets },
		},
		pairedItem,
	}));
}

function startOf(sent: IDataObject): ReadStart {
	if (sent.startFrom === 'oldest') return { kind: 'oldest' };
	if (sent.startFrom === 'latest') return { kind: 'latest', count: Number(sent.latestCount ?? 10) };
	// Validated before any request (offsetsProblem), so this parses.
	const parsed = parseOffsets(sent.offsets);
	return typeof parsed === 'string' ? { kind: 'oldest' } : { kind: 'offset', ...parsed };
}
