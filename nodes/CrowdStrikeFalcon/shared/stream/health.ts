import type { IDataObject } from 'n8n-workflow';

import { creationTimeMs, type ReceivedEvent } from './events';

export interface PartitionHealth extends IDataObject {
	/** Next offset this trigger will read (last read + 1). */
	readPosition: number | null;
	/** Last offset whose execution finished, with every earlier one: a restart resumes after it. */
	committedOffset: number | null;
	/** Seconds between the newest event's creation in Falcon and its arrival here. */
	lagSeconds: number | null;
	lastEventAt: string | null;
	connectedAt: string | null;
	lastRefreshAt: string | null;
	reconnects: number;
	lastError: string | null;
	lastErrorAt: string | null;
}

/**
 * Position, lag and connection facts of a running trigger, kept in one plain object (the `health` key of the
 * node's static data for a published workflow) and copied, per partition, into every emitted item.
 */
export class StreamHealth {
	constructor(
		readonly record: IDataObject,
		appId: string,
	) {
		record.appId = appId;
		record.partitions ??= {};
		// `skippedRepeats`: emitted again after a restart and refused by n8n as already run (started = finished +
		// skippedRepeats + still running).
		record.executions = { started: 0, finished: 0, skippedRepeats: 0, inFlight: 0 };
		record.dropped = { filtered: 0, unreadable: 0 };
		record.warnings = [];
	}

	partition(partition: number): PartitionHealth {
		const partitions = this.record.partitions as IDataObject;
		const key = String(partition);
		partitions[key] ??= {
			readPosition: null,
			committedOffset: null,
			lagSeconds: null,
			lastEventAt: null,
			connectedAt: null,
			lastRefreshAt: null,
			reconnects: 0,
			lastError: null,
			lastErrorAt: null,
		};
		return partitions[key] as PartitionHealth;
	}

	received({ partition, offset, data }: ReceivedEvent, now = Date.now()): void {
		const health = this.partition(partition);
		health.readPosition = offset + 1;
		health.lastEventAt = new Date(now).toISOString();
		const created = creationTimeMs(data);
		health.lagSeconds = created === undefined ? null : Math.max(0, Math.round((now - created) / 100) / 10);
	}

	committed(partition: number, offset: number): void {
		this.partition(partition).committedOffset = offset;
		this.touch();
	}

	connected(partition: number): void {
		const health = this.partition(partition);
		if (health.connectedAt !== null) health.reconnects++;
		health.connectedAt = new Date().toISOString();
	}

	refreshed(partition: number): void {
		this.partition(partition).lastRefreshAt = new Date().toISOString();
	}

	failed(partition: number | undefined, reason: string): void {
		const at = new Date().toISOString();
		if (partition === undefined) {
			this.record.lastError = reason;
			this.record.lastErrorAt = at;
			return;
		}
		const health = this.partition(partition);
		health.lastError = reason;
		health.lastErrorAt = at;
	}

	count(group: 'executions' | 'dropped', key: string, by = 1): void {
		const counters = this.record[group] as IDataObject;
		counters[key] = Number(counters[key] ?? 0) + by;
	}

	warn(message: string): void {
		const warnings = this.record.warnings as string[];
		if (!warnings.includes(message)) warnings.push(message);
	}

	/** What an emitted item says about where the stream stands. */
	itemInfo(received: ReceivedEvent, now = Date.now()): IDataObject {
		const created = creationTimeMs(received.data);
		return {
			partition: received.partition,
			offset: received.offset,
			appId: this.record.appId,
			committedOffset: this.partition(received.partition).committedOffset,
			lagSeconds: created === undefined ? null : Math.max(0, Math.round((now - created) / 100) / 10),
			emittedAt: new Date(now).toISOString(),
		};
	}

	private touch(): void {
		this.record.updatedAt = new Date().toISOString();
	}
}
