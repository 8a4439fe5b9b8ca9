import type { IDataObject, INodeExecutionData, IRun, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { StreamConsumer } from '../shared/stream/consumer';
import { Delivery } from '../shared/stream/delivery';
import type { ReceivedEvent } from '../shared/stream/events';
import { rejectionOf } from '../shared/stream/filters';
import { StreamHealth } from '../shared/stream/health';
import { writeCommittedOffset, writeOpenBatches, type StoredState } from '../shared/stream/positions';
import { deduplicationKey } from './deduplicationKey';
import { OutageAlarm } from './outageAlarm';
import { readSettings } from './settings';
import { planStart } from './startPosition';

/** Refresh each partition's session at this share of Falcon's refreshActiveSessionInterval. */
const REFRESH_AT = 0.9;
/** An execution n8n could not start is emitted again this many times before its events are given up. */
const EMIT_RETRIES = 2;
/** A test run in the editor reports a stream that stays down after this long, instead of spinning. */
const MANUAL_ALERT_AFTER_MS = 30_000;

/**
 * The trigger's life: read settings, plan the start, then follow every partition until n8n closes the trigger.
 * Published workflows commit offsets as executions finish; test runs emit one real event (or batch) and stop.
 */
export async function startStreamTrigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
	const manual = this.getMode() === 'manual';
	const settings = readSettings(this, manual);
	const state = (manual ? {} : this.getWorkflowStaticData('node')) as StoredState;
	const plan = planStart(settings, state, manual);
	const health = new StreamHealth(manual ? {} : ((state.health ??= {}) as IDataObject), settings.appId);
	for (const [partition, offset] of plan.committed) health.partition(partition).committedOffset = offset;
	for (const warning of settings.warnings) {
		health.warn(warning);
		this.logger.warn(`CrowdStrike Falcon Trigger: ${warning}`);
	}
	const filters = {
		...settings.filters,
		createdAfterMs: settings.start.kind === 'newerThan' ? settings.start.afterMs : undefined,
	};
	const abort = new AbortController();
	const alarm = new OutageAlarm(
		manual ? Math.min(MANUAL_ALERT_AFTER_MS, settings.alertAfterDownMs || MANUAL_ALERT_AFTER_MS) : settings.alertAfterDownMs,
		(downForMs, reason) => {
			const error = new NodeOperationError(
				this.getNode(),
				`The Falcon event stream has been unavailable for ${Math.round(downForMs / 1000)} s: ${reason}`,
				{ description: 'The trigger keeps reconnecting; this is recorded once per outage.' },
			);
			if (manual) this.emitError(error);
			// n8n before 2.7 has no saveFailedExecution: there the outage is only logged.
			else if (typeof this.saveFailedExecution === 'function') this.saveFailedExecution(error);
			else this.logger.error(error.message);
		},
	);

	const execute = async (batch: ReceivedEvent[], ranges: string): Promise<void> => {
		const items: INodeExecutionData[] = batch.map((received) => ({
			json: { ...received.data, stream: health.itemInfo(received) },
		}));
		health.count('executions', 'started');
		if (manual) {
			// The editor takes the first emit as the test event; the run is over after it.
			this.emit([items]);
			abort.abort();
			return;
		}
		const key = settings.deduplicate
			? deduplicationKey(this.getWorkflow().id, this.getNode().id, plan.epoch, ranges)
			: undefined;
		const outcome = await runToCompletion(this, items, key, abort.signal);
		// n8n refused a repeat: the execution ran before a restart, and its events are committed now.
		if (outcome === 'duplicate') {
			health.count('executions', 'skippedRepeats');
			return;
		}
		health.count('executions', 'finished');
		if (outcome === 'failed') health.count('executions', 'failed');
	};

	const delivery = new Delivery(
		{
			batchSize: settings.batchSize,
			maxWaitMs: settings.maxWaitMs,
			maxInFlight: manual ? 1 : settings.maxInFlight,
			signal: abort.signal,
			execute,
			onCommitted: (partition, offset) => {
				if (!manual) writeCommittedOffset(state, partition, offset);
				health.committed(partition, offset);
				(health.record.executions as IDataObject).inFlight = delivery.window.inFlight;
			},
			onOpenBatches: (open) => {
				if (!manual) writeOpenBatches(state, open);
			},
		},
		{ committed: plan.committed, openBatches: plan.openBatches },
	);

	const consumer = new StreamConsumer({
		api: this,
		feed: this,
		appId: settings.appId,
		eventTypes: settings.eventTypes,
		startFor: plan.startFor,
		watchdogMs: settings.watchdogMs,
		refreshAt: REFRESH_AT,
		backoff: settings.backoff,
		emptyDiscoveryLimitMs: settings.emptyDiscoveryLimitMs,
		signal: abort.signal,
		hooks: {
			onEvent: async (partition, event) => {
				const received: ReceivedEvent = { partition, offset: event.metadata.offset, data: event };
				health.received(received);
				if (rejectionOf(event, filters)) {
					health.count('dropped', 'filtered');
					delivery.skip(partition, received.offset);
					return;
				}
				await delivery.add(received);
				(health.record.executions as IDataObject).inFlight = delivery.window.inFlight;
			},
			onConnected: (partition) => {
				health.connected(partition);
				alarm.recovered();
			},
			onRefreshed: (partition) => health.refreshed(partition),
			onTransientFailure: (partition, reason) => {
				health.failed(partition, reason);
				this.logger.warn(
					`CrowdStrike Falcon Trigger (App ID ${settings.appId}${partition === undefined ? '' : `, partition ${partition}`}): ${reason}; reconnecting`,
				);
				alarm.failed(reason);
			},
			onUnreadableLine: (partition, problem, detail) => {
				health.count('dropped', 'unreadable');
				this.logger.warn(`CrowdStrike Falcon Trigger (partition ${partition}): ${detail}`);
			},
		},
	});

	let running: Promise<void> = Promise.resolve();
	const start = () => {
		running = (async () => {
			try {
				await consumer.run();
			} catch (error) {
				// Only configuration errors get here: the credential, the scope or the App ID need a person.
				if (!abort.signal.aborted) this.emitError(error as Error);
			}
		})();
	};
	const closeFunction = async () => {
		abort.abort();
		// Give the feeds a moment to close their sockets, without ever holding up n8n's deactivation for long.
		const giveUp = new AbortController();
		await Promise.race([running, sleep(5_000, giveUp.signal).catch(() => undefined)]);
		giveUp.abort();
	};
	// In the editor n8n swaps in its test-run emit after trigger() returns, so the test run starts only then.
	if (manual) return { closeFunction, manualTriggerFunction: async () => start() };
	start();
	return { closeFunction };
}

/**
 * Emits the items and waits until n8n reports the execution finished, whatever its outcome (a failed run is
 * visible and retryable in n8n's execution list). n8n resolves without a run when it refused the key as a repeat.
 */
async function runToCompletion(
	context: ITriggerFunctions,
	items: INodeExecutionData[],
	deduplicationKey: string | undefined,
	signal: AbortSignal,
): Promise<'succeeded' | 'failed' | 'duplicate'> {
	for (let attempt = 0; ; attempt++) {
		const done = context.helpers.createDeferredPromise<IRun>();
		context.emit([items], undefined, done, deduplicationKey);
		try {
			const run = (await done.promise) as IRun | undefined;
			if (run === undefined) return deduplicationKey === undefined ? 'succeeded' : 'duplicate';
			return run.status === 'error' || run.status === 'crashed' || !!run.data?.resultData?.error ? 'failed' : 'succeeded';
		} catch (error) {
			if (attempt >= EMIT_RETRIES || signal.aborted) {
				context.logger.error(`CrowdStrike Falcon Trigger: n8n could not run an execution: ${(error as Error).message}`);
				return 'failed';
			}
			await sleep(1_000 * 2 ** attempt, signal).catch(() => undefined);
		}
	}
}
