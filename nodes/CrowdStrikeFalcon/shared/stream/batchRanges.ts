import type { ReceivedEvent } from './events';

export interface PartitionRange {
	partition: number;
	first: number;
	last: number;
}

/**
 * The offsets one execution covers, one range per partition, in partition order (events in between may have been
 * filtered out). Most batches hold one partition, so this is a short array rather than a map.
 */
export type BatchRanges = readonly PartitionRange[];

export function rangesOf(batch: ReceivedEvent[]): BatchRanges {
	if (batch.length === 0) return [];
	const ranges: PartitionRange[] = [{ partition: batch[0].partition, first: batch[0].offset, last: batch[0].offset }];
	for (const { partition, offset } of batch) {
		const range = rangeOf(ranges, partition);
		if (range) {
			if (offset < range.first) range.first = offset;
			if (offset > range.last) range.last = offset;
		} else {
			ranges.push({ partition, first: offset, last: offset });
		}
	}
	if (ranges.length > 1) ranges.sort((a, b) => a.partition - b.partition);
	return ranges;
}

export function rangeOf(ranges: BatchRanges, partition: number): PartitionRange | undefined {
	for (const range of ranges) if (range.partition === partition) return range;
	return undefined;
}

/** `0:5-9,1:3-4`, partitions in order: the same offsets always give the same text, in every activation. */
export function formatRanges(ranges: BatchRanges): string {
	if (ranges.length === 1) return `${ranges[0].partition}:${ranges[0].first}-${ranges[0].last}`;
	return ranges.map(({ partition, first, last }) => `${partition}:${first}-${last}`).join(',');
}

/** The inverse of formatRanges; undefined for anything else (stored state is never trusted blindly). */
export function parseRanges(text: unknown): BatchRanges | undefined {
	if (typeof text !== 'string' || !/^\d+:\d+-\d+(,\d+:\d+-\d+)*$/.test(text)) return undefined;
	const ranges: PartitionRange[] = [];
	for (const part of text.split(',')) {
		const [partition, first, last] = part.split(/[:-]/).map(Number);
		if (![partition, first, last].every(Number.isSafeInteger) || first > last || rangeOf(ranges, partition)) return undefined;
		ranges.push({ partition, first, last });
	}
	return ranges.sort((a, b) => a.partition - b.partition);
}

/** Whether every range is at or below its partition's committed offset. */
export function allCommitted(ranges: BatchRanges, committed: (partition: number) => number | undefined): boolean {
	for (const { partition, last } of ranges) if ((committed(partition) ?? -1) < last) return false;
	return true;
}
