import type { ReceivedEvent } from './events';

/** The offsets one execution covers, per partition (events in between may have been filtered out). */
export type BatchRanges = Map<number, { first: number; last: number }>;

export function rangesOf(batch: ReceivedEvent[]): BatchRanges {
	const ranges: BatchRanges = new Map();
	for (const { partition, offset } of batch) {
		const range = ranges.get(partition);
		if (range) {
			range.first = Math.min(range.first, offset);
			range.last = Math.max(range.last, offset);
		} else {
			ranges.set(partition, { first: offset, last: offset });
		}
	}
	return ranges;
}

/** `0:5-9,1:3-4`, partitions in order: the same offsets always give the same text, in every activation. */
export function formatRanges(ranges: BatchRanges): string {
	if (ranges.size === 1) {
		for (const [partition, { first, last }] of ranges) return `${partition}:${first}-${last}`;
	}
	return [...ranges]
		.sort(([a], [b]) => a - b)
		.map(([partition, { first, last }]) => `${partition}:${first}-${last}`)
		.join(',');
}

/** The inverse of formatRanges; undefined for anything else (stored state is never trusted blindly). */
export function parseRanges(text: unknown): BatchRanges | undefined {
	if (typeof text !== 'string' || !/^\d+:\d+-\d+(,\d+:\d+-\d+)*$/.test(text)) return undefined;
	const ranges: BatchRanges = new Map();
	for (const part of text.split(',')) {
		const [partition, first, last] = part.split(/[:-]/).map(Number);
		if (![partition, first, last].every(Number.isSafeInteger) || first > last || ranges.has(partition)) return undefined;
		ranges.set(partition, { first, last });
	}
	return ranges;
}

/** Whether every range is at or below its partition's committed offset. */
export function allCommitted(ranges: BatchRanges, committed: (partition: number) => number | undefined): boolean {
	for (const [partition, { last }] of ranges) if ((committed(partition) ?? -1) < last) return false;
	return true;
}
