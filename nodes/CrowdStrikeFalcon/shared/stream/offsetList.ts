import { toOffset } from './events';

export interface ParsedOffsets {
	/** One offset for every partition. */
	all?: number;
	byPartition: Map<number, number>;
}

/** Offsets as typed: `120394` (every partition) or `0=120394, 1=88210`; why not, as a problem, otherwise. */
export function parseOffsetList(text: string): ParsedOffsets | string {
	const byPartition = new Map<number, number>();
	let all: number | undefined;
	const parts = text.split(/[\s,;]+/).filter(Boolean);
	if (parts.length === 0) return 'must not be empty';
	for (const part of parts) {
		const pair = /^(\d+)[=:](\d+)$/.exec(part);
		if (pair) {
			const [partition, offset] = [toOffset(pair[1]), toOffset(pair[2])];
			if (partition === undefined || offset === undefined) return `"${part}" is out of range`;
			if (byPartition.has(partition)) return `partition ${partition} is given twice`;
			byPartition.set(partition, offset);
			continue;
		}
		const single = toOffset(part);
		if (single === undefined || all !== undefined) return `use one offset, or partition=offset pairs (got "${part}")`;
		all = single;
	}
	return { all, byPartition };
}
