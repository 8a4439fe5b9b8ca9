import type { IDataObject } from 'n8n-workflow';

import { toOffset } from '../../shared/stream/events';
import { parseOffsetList, type ParsedOffsets } from '../../shared/stream/offsetList';

/**
 * Offsets as users give them: `120394` (every partition), `0=120394, 1=88210`, or the `nextOffsets` object (or
 * its JSON) of a previous read, so scheduled polling can chain reads with one expression.
 */
export function parseOffsets(value: unknown): ParsedOffsets | string {
	if (typeof value === 'number') return toOffset(value) === undefined ? `"${value}" is not an offset` : { all: value, byPartition: new Map() };
	if (value && typeof value === 'object') return fromObject(value as IDataObject);
	const text = String(value ?? '').trim();
	if (text.startsWith('{')) {
		try {
			return fromObject(JSON.parse(text) as IDataObject);
		} catch {
			return 'is not valid JSON';
		}
	}
	return parseOffsetList(text);
}

export function offsetsProblem(value: unknown): string | undefined {
	if (value === undefined || value === '') return undefined;
	const parsed = parseOffsets(value);
	return typeof parsed === 'string' ? parsed : undefined;
}

function fromObject(object: IDataObject): ParsedOffsets | string {
	const byPartition = new Map<number, number>();
	for (const [key, raw] of Object.entries(object)) {
		const partition = toOffset(key);
		const offset = toOffset(raw);
		if (partition === undefined || offset === undefined) return `"${key}": ${JSON.stringify(raw)} is not a partition and offset`;
		byPartition.set(partition, offset);
	}
	// What a read that saw no event gives as nextOffsets (Latest on a quiet stream): no position to resume from.
	return byPartition.size === 0
		? 'names no partition: the read it came from saw no event (Latest on a quiet stream, or an Event Types filter nothing matched); start this read from Latest or Oldest, or give an offset such as 0'
		: { byPartition };
}

/**
 * Offsets by partition none of which is among the Partitions read: each partition read would start at its oldest
 * retained event (days of backlog) while the offsets given go unused.
 */
export function offsetsOutsidePartitions(offsets: unknown, partitions: unknown): string | undefined {
	const parsed = parseOffsets(offsets);
	if (typeof parsed === 'string' || parsed.all !== undefined) return undefined;
	const read = partitionList(partitions);
	if (read.length === 0 || read.some((partition) => parsed.byPartition.has(partition))) return undefined;
	return `"Offsets" names partition ${[...parsed.byPartition.keys()].join(', ')}, none of the "Partitions" read (${read.join(', ')}): they would be read from their oldest retained event`;
}

/** The Partitions field as numbers (separated by commas, semicolons or spaces); [] when it names none: read them all. */
export function partitionList(value: unknown): number[] {
	return String(value ?? '')
		.split(/[\s,;]+/)
		.map(toOffset)
		.filter((partition): partition is number => partition !== undefined);
}
