import type { IDataObject } from 'n8n-workflow';

/** One event of the feed: `{ metadata: { offset, eventType, eventCreationTime, ... }, event: { ... } }`. */
export interface StreamEvent extends IDataObject {
	metadata: IDataObject & {
		offset: number;
		eventType?: string;
		eventCreationTime?: number;
		customerIDString?: string;
	};
	event?: IDataObject;
}

/** An event as it came off one partition's feed. */
export interface ReceivedEvent {
	partition: number;
	offset: number;
	data: StreamEvent;
}

/**
 * Offsets arrive as numbers, and in older stored state as numeric strings; anything else is not an offset.
 * Offsets are uint64 on the wire, but far below 2^53 in practice, so a JS number holds them exactly.
 */
export function toOffset(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
	if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
		const number = Number(value.trim());
		return Number.isSafeInteger(number) ? number : undefined;
	}
	return undefined;
}

/** Parses one feed line; `undefined` when it is not an event with a usable offset. */
export function parseEventLine(text: string): StreamEvent | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return undefined;
	}
	if (typeof parsed !== 'object' || parsed === null) return undefined;
	const metadata = (parsed as IDataObject).metadata as IDataObject | undefined;
	const offset = toOffset(metadata?.offset);
	if (!metadata || offset === undefined) return undefined;
	metadata.offset = offset;
	return parsed as StreamEvent;
}

export function eventTypeOf(event: StreamEvent): string {
	return String(event.metadata.eventType ?? '');
}

/** Creation time in epoch ms; Falcon sends ms, but tolerate seconds the way Elastic's pipeline does. */
export function creationTimeMs(event: StreamEvent): number | undefined {
	const raw = Number(event.metadata.eventCreationTime);
	if (!Number.isFinite(raw) || raw <= 0) return undefined;
	return raw < 1e11 ? raw * 1000 : raw;
}
