import type { IDataObject, INodeExecutionData, ITriggerFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { sleep } from '../shared/sleep';
import { temporaryAppId } from '../shared/stream/appId';
import { backoffDelay } from '../shared/stream/backoff';
import { StreamConsumer } from '../shared/stream/consumer';
import { Delivery } from '../shared/stream/delivery';
import { creationTimeMs, type ReceivedEvent, type StreamEvent } from '../shared/stream/events';
import { describeStreamFailure } from '../shared/stream/failures';
import { rejectionOf } from '../shared/stream/filters';
import { StreamHealth } from '../shared/stream/health';
import type { BatchAttempts } from '../shared/stream/openBatches';
import { StoredPosition } from '../shared/stream/positions';
import { isObject } from '../shared/transport/envelope';
import { operationError } from '../shared/transport/failures';
import { deduplicationKeys } from './deduplicationKey';
import { OutageAlarm } from './outageAlarm';
import type { ExecutionOutcome } from './runToCompletion';
import type { TriggerSettings } from './settings';
import { planStart } from './startPosition';
import type { TenantStore } from './tenantState';

/** Refresh each partition's session at this share of Falcon's refreshActiveSessionInterval. */
const REFRESH_AT = 0.9;
/** A child whose token, scope or App ID fails is tried again at most this long after the previous try. */
export const CHILD_RETRY_MAX_MS = 15 * 60_000;

/** Whose stream a follower reads. */
export interface FollowedTenant {
	/** The member CID requests act on: '' for the credential's own tenant, else the child's CID. */
	memberCid: string;
	/** What items and health call the tenant: the child's CID (or the credential's Member CID); null if unknown. */
	cid: string | null;
	/** The child's name in Flight Control; null for the credential's tenant or before Flight Control named it. */
	name: string | null;
	appId: string;
}

export interface FollowerOptions {
	context: ITriggerFunctions;
	tenant: FollowedTenant;
	settings: TriggerSettings;
	manual: boolean;
	store: TenantStore;
	/** The trigger's signal: n8n closed the trigger. */
	signal: AbortSignal;
	/**
	 * Runs an execution with the items; resolves when it has finished. Undefined for a test run in the editor,
	 * which ends with its first emit.
	 */
	execute(
		items: INodeExecutionData[],
		deduplicationKey: string | undefined,
		attempts: BatchAttempts,
	): Promise<ExecutionOutcome | undefined>;
	/**
	 * What a configuration failure (credential, scope, App ID) does. `retry`: recorded in this tenant's health and
	 * the log, and tried again on the tenant's own back-off, while the other tenants carry on. A function: told the
	 * failure, and the follower stops (one tenant: n8n deactivates the trigger and retries activation itself).
	 */
	onConfigurationFailure: 'retry' | ((error: Error) => void);
	/** How long the stream may be unavailable before `reportOutage` is called, once per outage (0: never). */
	alertAfterDownMs: number;
	/**
	 * The credential's own tenant, for a published workflow: `confirm` is the CID its events must carry for the
	 * stored position to be theirs (see tenantToConfirm); `noted` is told the CID of the first event delivered.
	 * While a stored position is to be confirmed, the follower reads every partition from its oldest retained event
	 * (the first comes at once, wherever the other tenant's offsets stand), delivers nothing, and stops at the first
	 * event that names its tenant: `tenantFound` says which, and the caller starts the follower that delivers.
	 * `clockNoted` is told the clocks' difference its discoveries show meanwhile.
	 */
	streamTenant?: { confirm: string | undefined; noted(cid: string): void; clockNoted(falconAheadMs: number): void };
	reportOutage(error: NodeOperationError): void;
}

/**
 * Follows one tenant's event stream: a consumer over its partitions (with the tenant's token and App ID), the
 * delivery of its events into executions, and its part of the stored state (position, open batches, epoch,
 * health). At least once per tenant: a tenant's offsets are committed only after its executions finished.
 */
export class TenantFollower {
	readonly health: StreamHealth;
	private readonly stopped = new AbortController();
	private readonly consumer: StreamConsumer;
	private readonly delivery: Delivery;
	/** Undefined for a test run in the editor, which never changes the stored position. */
	private readonly position: StoredPosition | undefined;
	private readonly alarm: OutageAlarm;
	private failedAttempts = 0;
	/** Set by `stop`: the tenant left while the trigger goes on (not the trigger closing). */
	private removed = false;
	/** Until the first event's tenant was noted or confirmed (see FollowerOptions.streamTenant). */
	private checkingTenant: boolean;
	/** The CID the stored position's events carry, while it is to be confirmed (see FollowerOptions.streamTenant). */
	private readonly confirming: string | undefined;
	/** Whose stream a follower that confirmed the stored position found; it stopped there. */
	tenantFound: { cid: string; foreign: boolean } | undefined;
	/** Resolves once the first discovery answered or failed: the clocks' difference it showed is noted. */
	readonly firstDiscovery: Promise<void>;
	private readonly stopAll = () => this.stopped.abort();

	constructor(private readonly options: FollowerOptions) {
		const { settings, store, manual, tenant, context } = options;
		if (options.signal.aborted) this.stopAll();
		else options.signal.addEventListener('abort', this.stopAll, { once: true });

		this.checkingTenant = options.streamTenant !== undefined;
		let discovered!: () => void;
		this.firstDiscovery = new Promise((resolve) => {
			discovered = resolve;
		});
		const plan = planStart(settings, store.state, manual);
		// Only a stored position needs confirming: one an explicit start just replaced has nothing to protect.
		const positioned = plan.committed.size > 0 || plan.openBatches.length > 0;
		this.confirming = positioned ? options.streamTenant?.confirm : undefined;
		store.changed();
		// Anything but an object there (a hand-edited or damaged record) is started afresh, not a crash at activation.
		if (!manual && !isObject(store.state.health)) {
			store.state.health = {};
		}
		this.health = new StreamHealth(manual ? {} : (store.state.health as IDataObject), tenant.appId);
		this.describeTenant();
		this.health.record.status = 'starting';
		for (const [partition, offset] of plan.committed) this.health.partition(partition).committedOffset = offset;
		for (const warning of settings.warnings) this.health.warn(warning);

		const { filters } = settings;
		this.alarm = new OutageAlarm(options.alertAfterDownMs, (downForMs, reason) =>
			options.reportOutage(
				operationError(
					context.getNode(),
					`The Falcon event stream${this.label() ? ` of ${this.label()}` : ''} has been unavailable for ${Math.round(downForMs / 1000)} s: ${reason}`,
					{ description: 'The trigger keeps reconnecting; this is recorded once per outage.' },
				),
			),
		);

		// Worked out once: getNode() copies the whole node each time it is called.
		const keyFor =
			settings.deduplicate && !manual
				? deduplicationKeys(context.getWorkflow().id, context.getNode().id, plan.epoch, tenant.memberCid || undefined)
				: undefined;
		/** Counts the outcome; false when the events never ran and stay uncommitted. */
		const counted = (outcome: ExecutionOutcome | undefined): boolean => {
			if (outcome === undefined) return true;
			if (outcome === 'abandoned') return false;
			// n8n refused a repeat: the execution ran before a restart, and its events are committed now.
			if (outcome === 'duplicate') {
				this.health.count('executions', 'skippedRepeats');
				return true;
			}
			this.health.count('executions', 'finished');
			if (outcome === 'failed') this.health.count('executions', 'failed');
			return true;
		};
		// Not an async function: one execution per event makes this chain of promises a per-event cost.
		const execute = (batch: ReceivedEvent[], ranges: string, attempts: BatchAttempts): Promise<boolean> => {
			const now = Date.now();
			// Each parsed event belongs to this trigger alone: it becomes the item's json as it is, not a copy.
			const items: INodeExecutionData[] = new Array(batch.length);
			for (let index = 0; index < batch.length; index++) {
				const received = batch[index];
				received.data.stream = this.health.itemInfo(received, now);
				items[index] = { json: received.data };
			}
			this.health.count('executions', 'started');
			this.position?.beforeEmit();
			return options.execute(items, keyFor?.(ranges), attempts).then(counted);
		};

		this.delivery = new Delivery(
			{
				batchSize: settings.batchSize,
				maxWaitMs: settings.maxWaitMs,
				// Each tenant has its own window: a busy child cannot hold the slots another child needs.
				maxInFlight: manual ? 1 : settings.maxInFlight,
				signal: this.stopped.signal,
				execute,
				onCommitted: (partition, offset) => {
					this.position?.commit(partition, offset);
					this.health.committed(partition, offset);
					this.health.setInFlight(this.delivery.window.inFlight);
				},
				onOpenBatchChanged: () => this.position?.beforeEmit(),
			},
			{ committed: plan.committed, openBatches: plan.openBatches },
		);
		this.position = manual ? undefined : new StoredPosition(store.state, this.delivery.openEntries, () => store.changed());

		this.consumer = new StreamConsumer({
			api: context,
			memberCid: tenant.memberCid || undefined,
			feed: context,
			// A one-off App ID for the look at whose stream it is: released, the trigger's own would be offered to the
			// follower that delivers only after Falcon's hold on it.
			appId: this.confirming === undefined ? tenant.appId : temporaryAppId(),
			eventTypes: settings.eventTypes,
			startFor: this.confirming === undefined ? plan.startFor : () => ({ oldest: true }),
			// Also a partition followed before that never had a commit saved (a quiet one): a first discovery that
			// leaves it out (Falcon still holding its feed) must not leave it unread while the others stay healthy.
			knownPartitions: [
				...this.health.knownPartitions(),
				...plan.committed.keys(),
				...plan.openBatches.flatMap(({ parsed }) => parsed.map(({ partition }) => partition)),
			],
			watchdogMs: settings.watchdogMs,
			refreshAt: REFRESH_AT,
			backoff: settings.backoff,
			emptyDiscoveryLimitMs: settings.emptyDiscoveryLimitMs,
			signal: this.stopped.signal,
			hooks: {
				onDiscovered: (falconAheadMs) => {
					if (falconAheadMs !== undefined) {
						this.health.falconClock(falconAheadMs);
						plan.noteFalconClock(falconAheadMs);
						if (this.confirming !== undefined) options.streamTenant?.clockNoted(falconAheadMs);
					}
					discovered();
				},
				onEvent: (partition, event, receivedAt) => {
					if (this.checkingTenant && !this.ownTenant(event)) return undefined;
					const received: ReceivedEvent = { partition, offset: event.metadata.offset, data: event };
					this.health.received(received, receivedAt);
					if (this.alarm.down) this.alarm.recovered();
					if ((plan.floors.size > 0 && olderThanFloor(plan.floors, partition, event)) || rejectionOf(event, filters)) {
						if (this.delivery.skip(received)) this.health.count('dropped', 'filtered');
						return undefined;
					}
					// Awaited only when the delivery has to wait for an execution slot.
					const wait = this.delivery.add(received);
					this.health.setInFlight(this.delivery.window.inFlight);
					return wait;
				},
				onConnected: (partition) => {
					this.health.connected(partition);
					this.health.record.status = 'following';
					this.failedAttempts = 0;
					this.alarm.connected();
				},
				onRefreshed: (partition) => this.health.refreshed(partition),
				onPartitionGone: (partition) => this.health.forget(partition),
				onTransientFailure: (partition, reason) => {
					this.health.failed(partition, reason);
					this.log('warn', `${reason}; reconnecting`, partition);
					this.alarm.failed(reason);
				},
				onUnreadableLine: (partition, _problem, detail) => {
					this.health.count('dropped', 'unreadable');
					this.log('warn', detail, partition);
				},
			},
		});
	}

	get tenant(): FollowedTenant {
		return this.options.tenant;
	}

	/** Its stream is open and read (at least one partition connected since the last failure). */
	get following(): boolean {
		return this.health.record.status === 'following';
	}

	/** Flight Control renamed the child: later items and the health say so. */
	rename(name: string | null): void {
		this.options.tenant.name = name;
		this.describeTenant();
	}

	/**
	 * Follows the stream until the trigger closes, `stop` is called, or a configuration failure stops it. After
	 * `stop`, resolves only once the executions it started have finished and committed: a follower of the same
	 * tenant started before then would read the stored position without those commits and emit them again.
	 */
	async run(): Promise<void> {
		await this.follow();
		if (this.removed || this.tenantFound !== undefined) await this.delivery.settled();
	}

	/** Stops reading this tenant (removed from the children); executions already started still commit. */
	stop(): void {
		this.removed = true;
		this.options.signal.removeEventListener('abort', this.stopAll);
		this.stopped.abort();
		this.health.record.status = 'stopped';
	}

	private async follow(): Promise<void> {
		while (!this.stopped.signal.aborted) {
			try {
				await this.consumer.run();
				return;
			} catch (error) {
				if (this.stopped.signal.aborted) return;
				const onFailure = this.options.onConfigurationFailure;
				if (onFailure !== 'retry') return onFailure(error as Error);
				await this.waitAfterConfigurationFailure(error);
			}
		}
	}

	/**
	 * Whether the event is delivered (see FollowerOptions.streamTenant): while the stored position is confirmed,
	 * none is, and the first that names its tenant ends the follower; otherwise the first that does is noted.
	 */
	private ownTenant(event: StreamEvent): boolean {
		const cid = typeof event.metadata.customerIDString === 'string' ? event.metadata.customerIDString.toLowerCase() : '';
		if (this.confirming !== undefined) {
			if (cid !== '' && this.tenantFound === undefined) {
				this.tenantFound = { cid, foreign: cid !== this.confirming };
				this.stopped.abort();
			}
			return false;
		}
		// An event that names no tenant tells nothing: the next one is noted.
		if (cid === '') return true;
		this.checkingTenant = false;
		(this.options.streamTenant as NonNullable<FollowerOptions['streamTenant']>).noted(cid);
		return true;
	}

	private async waitAfterConfigurationFailure(error: unknown): Promise<void> {
		const reason = describeStreamFailure(error);
		const delayMs = backoffDelay(this.failedAttempts++, {
			initialMs: this.options.settings.backoff.initialMs,
			maxMs: CHILD_RETRY_MAX_MS,
		});
		this.health.failed(undefined, reason);
		this.health.record.status = 'failing';
		this.health.record.retryAt = new Date(Date.now() + delayMs).toISOString();
		this.log('warn', `${reason}; this tenant is tried again in ${Math.round(delayMs / 1000)} s, the others carry on`);
		this.alarm.failed(reason);
		await sleep(delayMs, this.stopped.signal).catch(() => undefined);
	}

	private describeTenant(): void {
		this.health.describeTenant(this.options.tenant.cid, this.options.tenant.name);
	}

	/** `child "Name" (cid)`, or '' for the credential's own tenant. */
	private label(): string {
		const { memberCid, name } = this.options.tenant;
		if (!memberCid) return '';
		return `child ${name ? `"${name}" (${memberCid})` : memberCid}`;
	}

	private log(level: 'warn' | 'error', message: string, partition?: number): void {
		const where = [`App ID ${this.options.tenant.appId}`, this.label(), partition === undefined ? '' : `partition ${partition}`]
			.filter(Boolean)
			.join(', ');
		this.options.context.logger[level](`CrowdStrike Falcon Trigger (${where}): ${message}`);
	}
}

/**
 * Whether the event comes before the partition's floor (see StartPlan.floors): created before the first start at
 * the newest events. The first event created since ends the floor: the reader is past that time.
 */
function olderThanFloor(floors: Map<number, number>, partition: number, event: StreamEvent): boolean {
	const floor = floors.get(partition);
	if (floor === undefined) return false;
	const created = creationTimeMs(event);
	if (created !== undefined && created < floor) return true;
	floors.delete(partition);
	return false;
}
