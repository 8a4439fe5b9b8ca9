import type { IDataObject } from 'n8n-workflow';

import { creationTimeMs, type ReceivedEvent, type StreamEvent } from './events';
import { isoTime } from './isoTime';

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

type Counters = Record<string, number>;

/**
 * Position, lag and connection facts of a running trigger, kept in one object (the `health` key of the node's
 * static data for a published workflow) and copied, per partition, into every emitted item.
 *
 * Per-event facts are written many thousand times a second, so they live in plain objects this class creates and
 * holds references to: after a restart n8n hands back the stored record wrapped in its change-tracking proxies,
 * and every write through those costs a trap. The plain objects hang in the record, so n8n saves their current
 * values whenever it saves the static data (at every emit, which a commit or an open batch has marked as changed).
 */
export class StreamHealth {
	private readonly appId: string;
	private readonly partitions: Record<string, PartitionHealth>;
	private readonly byPartition = new Map<number, PartitionHealth>();
	private readonly executions: Counters;
	private readonly dropped: Counters;
	private readonly warnings: string[];
	private updatedAt: string | undefined;
	/** Whose stream this is (see `describeTenant`): items say so too. */
	private cid: string | null = null;
	private childName: string | null = null;
	/** Falcon's clock less this server's, as the latest discovery showed it: lag compares times on both clocks. */
	private falconAheadMs = 0;

	constructor(
		readonly record: IDataObject,
		appId: string,
	) {
		this.appId = appId;
		record.appId = appId;
		// Copied out of whatever n8n loaded (a proxy after a restart): what the previous activation knew stays.
		this.partitions = plainPartitions(record.partitions);
		record.partitions = this.partitions;
		// `skippedRepeats`: emitted again after a restart and refused by n8n as already run (started = finished +
		// skippedRepeats + still running).
		this.executions = { started: 0, finished: 0, skippedRepeats: 0, inFlight: 0 };
		record.executions = this.executions;
		this.dropped = { filtered: 0, unreadable: 0 };
		record.dropped = this.dropped;
		this.warnings = [];
		record.warnings = this.warnings;
	}

	partition(partition: number): PartitionHealth {
		let health = this.byPartition.get(partition);
		if (health) return health;
		const key = String(partition);
		health = this.partitions[key] ??= {
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
		this.byPartition.set(partition, health);
		return health;
	}

	/** Every partition the record knows (connected, or holding a position), this activation's or an earlier one's. */
	knownPartitions(): number[] {
		return Object.keys(this.partitions)
			.map(Number)
			.filter((partition) => Number.isInteger(partition) && partition >= 0);
	}

	/** A partition Falcon no longer offers: no longer reported, nor looked for after a restart. */
	forget(partition: number): void {
		delete this.partitions[String(partition)];
		this.byPartition.delete(partition);
	}

	received({ partition, offset, data }: ReceivedEvent, now = Date.now()): void {
		const health = this.partition(partition);
		health.readPosition = offset + 1;
		health.lastEventAt = isoTime(now);
		health.lagSeconds = lagSeconds(data, now + this.falconAheadMs);
	}

	committed(partition: number, offset: number): void {
		this.partition(partition).committedOffset = offset;
		this.touch();
	}

	/** What the latest discovery showed of Falcon's clock (see discoverStreams). */
	falconClock(falconAheadMs: number): void {
		this.falconAheadMs = falconAheadMs;
	}

	connected(partition: number): void {
		const health = this.partition(partition);
		if (health.connectedAt !== null) health.reconnects++;
		health.connectedAt = isoTime(Date.now());
	}

	refreshed(partition: number): void {
		this.partition(partition).lastRefreshAt = isoTime(Date.now());
	}

	failed(partition: number | undefined, reason: string): void {
		const at = isoTime(Date.now());
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
		const counters = group === 'executions' ? this.executions : this.dropped;
		counters[key] = (counters[key] ?? 0) + by;
	}

	/** Executions started whose events are not committed yet. */
	setInFlight(count: number): void {
		this.executions.inFlight = count;
	}

	warn(message: string): void {
		if (!this.warnings.includes(message)) this.warnings.push(message);
	}

	/** The tenant followed: its CID (null when unknown) and, for a child tenant, its name in Flight Control. */
	describeTenant(cid: string | null, childName: string | null): void {
		this.cid = cid;
		this.childName = childName;
		this.record.cid = cid;
		this.record.childName = childName;
	}

	/** What an emitted item says about where the stream stands (one literal: every item has the same shape). */
	itemInfo(received: ReceivedEvent, now = Date.now()): IDataObject {
		return {
			partition: received.partition,
			offset: received.offset,
			appId: this.appId,
			committedOffset: this.partition(received.partition).committedOffset,
			lagSeconds: lagSeconds(received.data, now + this.falconAheadMs),
			emittedAt: isoTime(now),
			cid: this.cid,
			childName: this.childName,
		};
	}

	private touch(): void {
		const now = isoTime(Date.now());
		// The record itself may be one of n8n's proxies: written only when the text changes.
		if (now === this.updatedAt) return;
		this.updatedAt = now;
		this.record.updatedAt = now;
	}
}

/** `falconNow`: the time on Falcon's clock, which events' creation times are on. */
function lagSeconds(event: StreamEvent, falconNow: number): number | null {
	const created = creationTimeMs(event);
	return created === undefined ? null : Math.max(0, Math.round((falconNow - created) / 100) / 10);
}

function plainPartitions(stored: unknown): Record<string, PartitionHealth> {
	const partitions: Record<string, PartitionHealth> = {};
	if (typeof stored !== 'object' || stored === null) return partitions;
	for (const [key, value] of Object.entries(stored)) {
		if (typeof value === 'object' && value !== null) partitions[key] = { ...(value as PartitionHealth) };
	}
	return partitions;
}
