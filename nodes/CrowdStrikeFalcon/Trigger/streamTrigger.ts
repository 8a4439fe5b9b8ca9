import type { ICredentialDataDecryptedObject, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { sleep } from '../shared/sleep';
import { childAppId } from '../shared/stream/appId';
import { CREDENTIAL_TYPE } from '../shared/transport/credentialType';
import { isObject } from '../shared/transport/envelope';
import { operationError } from '../shared/transport/failures';
import { credentialMemberCid } from '../shared/transport/memberCid';
import { ChildRoster } from './childRoster';
import { erasedPositionWarning } from './erasedPosition';
import { OutageAlarm } from './outageAlarm';
import { runToCompletion } from './runToCompletion';
import { readSettings, startFingerprint } from './settings';
import { TenantFollower, type FollowedTenant, type FollowerOptions } from './tenantFollower';
import {
	adoptCredentialTenant,
	appliedStart,
	childTenantStore,
	forgetLeftChildren,
	ownTenantStore,
	noteStreamTenant,
	scratchTenantStore,
	startAsNewTenant,
	tenantToConfirm,
	type TenantStore,
	type TriggerState,
} from './tenantState';

/** A test run in the editor reports a stream that stays down after this long, instead of spinning. */
const MANUAL_ALERT_AFTER_MS = 30_000;

/**
 * How long activation waits for the first read of the child tenants, or for the credential tenant's first discovery.
 * n8n saves the static data after activation and then only as the trigger emits: each child's start (the time "new
 * events" count from, an explicit start applied) is written as its follower is made, and must be in that save, or a
 * restart before the first event of any child would start the children again at the newest event, skipping what
 * arrived meanwhile; so must the clocks' difference the first discovery shows, kept with the credential tenant's.
 */
const FIRST_READ_WAIT_MS = 5_000;

/**
 * The trigger's life: read settings, then follow the stream of each tenant — the credential's own, or the child
 * tenants of an MSSP parent client — until n8n closes the trigger. Every tenant is followed the same way (a
 * TenantFollower); with children a ChildRoster keeps one follower per child. Published workflows commit offsets as
 * executions finish; test runs emit one real event (or batch) from whichever tenant has one first, and stop.
 */
export async function startStreamTrigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
	const manual = this.getMode() === 'manual';
	const settings = readSettings(this, manual);
	const state = (manual ? {} : this.getWorkflowStaticData('node')) as TriggerState;
	const erased = manual ? undefined : erasedPositionWarning(this, state);
	if (erased) settings.warnings.push(erased);
	for (const warning of settings.warnings) this.logger.warn(`CrowdStrike Falcon Trigger: ${warning}`);
	const abort = new AbortController();

	let testEmitted = false;
	const execute: FollowerOptions['execute'] = (items, key, attempts) => {
		if (!manual) return runToCompletion(this, items, key, abort.signal, attempts);
		// The editor takes the first emit as the test event; the run is over after it.
		if (!testEmitted) this.emit([items]);
		testEmitted = true;
		abort.abort();
		return Promise.resolve(undefined);
	};
	// An error ends a test run, but n8n then never gets the close function: the trigger stops itself.
	const endTestRun = (error: Error) => {
		this.emitError(error);
		abort.abort();
	};
	/** With children: the followers of the children followed now. */
	let followers: () => TenantFollower[] = () => [];
	const reportOutage = (error: NodeOperationError) => {
		// A test run waits for the first event of any child: one child down ends it only when none is followed.
		if (manual && followers().some((other) => other.following)) this.logger.warn(`CrowdStrike Falcon Trigger: ${error.message}`);
		else if (manual) endTestRun(error);
		// n8n before 2.7 has no saveFailedExecution: there the outage is only logged.
		else if (typeof this.saveFailedExecution === 'function') this.saveFailedExecution(error);
		else this.logger.error(error.message);
	};
	const alertAfterDownMs = manual
		? Math.min(MANUAL_ALERT_AFTER_MS, settings.alertAfterDownMs || MANUAL_ALERT_AFTER_MS)
		: settings.alertAfterDownMs;
	const follower = (
		tenant: FollowedTenant,
		store: TenantStore,
		onConfigurationFailure: FollowerOptions['onConfigurationFailure'],
		streamTenant?: FollowerOptions['streamTenant'],
	) =>
		new TenantFollower({
			context: this,
			tenant,
			settings,
			manual,
			store: manual ? scratchTenantStore() : store,
			signal: abort.signal,
			execute,
			onConfigurationFailure,
			alertAfterDownMs,
			reportOutage,
			streamTenant,
		});

	let follow: () => Promise<void>;
	let firstFollowers: Promise<void> = Promise.resolve();
	// A failure that needs a person, met while activation waits for the first read, is thrown by the activation: n8n
	// shows it at once when publishing, and at startup retries as for any failed activation. Emitted then, it would
	// race n8n's registration of this trigger, which starts only once activation returned.
	let activating = !manual;
	let activationFailure: Error | undefined;
	if (settings.tenants.kind === 'credential') {
		// Children followed before the switch back to the credential's tenant: stamped as left, dropped in time.
		if (!manual) forgetLeftChildren(state, new Set(), Date.now());
		const credential = await credentialTenant(this);
		const cid = credential?.cid;
		const fingerprint = startFingerprint(settings.start);
		const appliedBefore = appliedStart(state, fingerprint);
		// Unread (undefined), the credential says nothing of its tenant: the stored one stands.
		if (!manual && cid !== undefined && adoptCredentialTenant(state, cid ?? '', fingerprint)) {
			this.logger.warn(
				`CrowdStrike Falcon Trigger: the credential now acts on ${cid ? `tenant ${cid}` : "the API client's own tenant"}, not the one the stored position was read in: that position is dropped, and this tenant starts as "If No Stored Position" says`,
			);
		}
		const clientId = credential?.clientId;
		// Saved with the activation: a restart before the first event keeps when reading with this client began.
		if (!manual && clientId !== undefined && tenantToConfirm(state, clientId) !== undefined) state.tenantCheckSince ??= Date.now();
		const own = () => {
			const streamTenant: FollowerOptions['streamTenant'] =
				manual || clientId === undefined
					? undefined
					: {
							confirm: tenantToConfirm(state, clientId),
							noted: (streamCid) => noteStreamTenant(state, streamCid, clientId),
							clockNoted: (falconAheadMs) => {
								// With tenantCheckSince, of the activation that took it (kept across restarts as that time is).
								if (typeof state.tenantCheckFalconAheadMs !== 'number') state.tenantCheckFalconAheadMs = falconAheadMs;
							},
						};
			return follower(
				{ memberCid: '', cid: cid ?? null, name: null, appId: settings.appId },
				ownTenantStore(state),
				// The credential, the scope or the App ID need a person: n8n deactivates the trigger and retries later.
				(error) => {
					if (manual) endTestRun(error);
					else if (activating) activationFailure = error;
					else this.emitError(error);
				},
				streamTenant,
			);
		};
		const first = own();
		firstFollowers = first.firstDiscovery;
		follow = async () => {
			await first.run();
			const found = first.tenantFound;
			if (found === undefined || abort.signal.aborted || clientId === undefined) return;
			// Another API client, of another tenant: the stored offsets are the first tenant's, and read here they would
			// skip this one's events below them, or run its retained backlog above them.
			const message = `the stream now carries the events of tenant ${found.cid}, not those of the tenant the stored position was read in (another API client in the credential): that position is dropped, and this tenant starts as "If No Stored Position" says, its new events counted from when this client was first used`;
			if (found.foreign) {
				this.logger.warn(`CrowdStrike Falcon Trigger: ${message}`);
				startAsNewTenant(state, fingerprint, appliedBefore);
			}
			noteStreamTenant(state, found.cid, clientId);
			const second = own();
			if (found.foreign) second.health.warn(message);
			await second.run();
		};
	} else {
		// An explicit start (Offset, Latest, Newer Than) is for the children followed when it is applied. A child first
		// followed later (a later read of the children, a later activation) starts as any new tenant does, per If No
		// Stored Position: an offset chosen in one tenant's stream means nothing in another's.
		const fingerprint = startFingerprint(settings.start);
		let applyingStart = !manual && fingerprint !== undefined && state.childrenStartApplied !== fingerprint;
		if (!manual && fingerprint === undefined) delete state.childrenStartApplied;
		// Applied once the first children are followed, or a read of the children succeeded (listing none): until
		// then (Flight Control down at the first activation) a restart applies it again.
		const startApplied = () => {
			if (!applyingStart) return;
			applyingStart = false;
			state.childrenStartApplied = fingerprint;
		};
		const childStore = (cid: string): TenantStore => {
			const fresh = !isObject(state.tenants) || !isObject(state.tenants[cid]);
			const store = childTenantStore(state, cid);
			if (fresh && fingerprint !== undefined && !applyingStart) store.state.startPassedOver = fingerprint;
			// Every follower of one read of the children is made in one go: the children of the first are those.
			if (applyingStart) queueMicrotask(startApplied);
			return store;
		};
		const roster = new ChildRoster({
			context: this,
			selection: settings.tenants,
			record: manual
				? undefined
				: (overview) => {
						state.childTenants = overview;
					},
			recorded: manual ? undefined : state.childTenants,
			inUse: manual
				? undefined
				: (cids) => {
						forgetLeftChildren(state, cids, Date.now());
						startApplied();
					},
			backoff: settings.backoff,
			alarm: new OutageAlarm(alertAfterDownMs, (downForMs, reason) =>
				reportOutage(childListOutage(this, downForMs, reason)),
			),
			signal: abort.signal,
			followerFor: (child) =>
				follower(
					{ memberCid: child.cid, cid: child.cid, name: child.name, appId: childAppId(settings.appId, child.cid) },
					childStore(child.cid),
					// One child's token, scope or App ID failing must not stop the others.
					'retry',
				),
			onNoChild: manual
				? () =>
						endTestRun(
							operationError(this.getNode(), 'Flight Control lists no active child tenant to follow', {
								description:
									'No event can come: the parent API client has no active child tenant. "CrowdStrike Falcon Flight Control > Child > Get Many" lists its children and their status.',
							}),
						)
				: undefined,
		});
		followers = () => roster.followers();
		follow = async () => await roster.run();
		firstFollowers = roster.firstRead;
	}

	let running: Promise<void> = Promise.resolve();
	const start = () => {
		running = follow();
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
	const stopWaiting = new AbortController();
	await Promise.race([firstFollowers, running, sleep(FIRST_READ_WAIT_MS, stopWaiting.signal).catch(() => undefined)]);
	stopWaiting.abort();
	activating = false;
	if (activationFailure) {
		abort.abort();
		throw activationFailure;
	}
	return { closeFunction };
}

function childListOutage(context: ITriggerFunctions, downForMs: number, reason: string): NodeOperationError {
	return operationError(
		context.getNode(),
		`Flight Control has not listed the child tenants for ${Math.round(downForMs / 1000)} s: ${reason}`,
		{
			description:
				'The trigger keeps following the children it knows and keeps trying. The parent API client needs the "Flight Control: Read" scope.',
		},
	);
}

/**
 * The credential's Member CID, which items carry as `stream.cid` when the trigger follows the credential's tenant
 * (null when it names none), and its client ID; undefined when the credential could not be read. A malformed Member
 * CID fails activation: every token request would refuse it, and the trigger would otherwise reconnect for ever on a
 * failure that is no outage.
 */
async function credentialTenant(context: ITriggerFunctions): Promise<{ cid: string | null; clientId: string } | undefined> {
	let credentials: ICredentialDataDecryptedObject;
	try {
		credentials = await context.getCredentials(CREDENTIAL_TYPE);
	} catch {
		return undefined;
	}
	try {
		return { cid: credentialMemberCid(credentials) || null, clientId: String(credentials.clientId ?? '').trim() };
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, {
			description: 'Fix the Member CID of the CrowdStrike Falcon credential, or leave it empty for the API client\'s own tenant.',
		});
	}
}
