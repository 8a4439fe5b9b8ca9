import type { IDataObject, ITriggerFunctions } from 'n8n-workflow';

import { sleep } from '../shared/sleep';
import { backoffDelay, type BackoffPolicy } from '../shared/stream/backoff';
import { describeStreamFailure } from '../shared/stream/failures';
import { normaliseCid } from '../shared/transport/memberCid';
import { childrenToFollow, type ChildTenant } from './childTenants';
import { CHILD_RETRY_MAX_MS, type TenantFollower } from './tenantFollower';
import type { TenantSelection } from './tenantSelection';
import { isObject } from '../shared/transport/envelope';

export interface RosterOptions {
	context: ITriggerFunctions;
	selection: Exclude<TenantSelection, { kind: 'credential' }>;
	/** Where the roster says how the children were last read (the node's static data); none for test runs. */
	record?: (overview: IDataObject) => void;
	/** What `record` last stored, from an earlier activation: its children are followed while Flight Control fails. */
	recorded?: unknown;
	/** After each successful read: the children whose stored state is in use (followed, or still committing). */
	inUse?: (cids: ReadonlySet<string>) => void;
	backoff: BackoffPolicy;
	/** Told when reading the children fails and when it works again (one alert per outage). */
	alarm: { failed(reason: string): void; recovered(): void };
	signal: AbortSignal;
	/** A follower for a child that is not followed yet (not started). */
	followerFor(child: ChildTenant): TenantFollower;
	/** A read listed no child to follow (a test run ends then: no event can come). */
	onNoChild?(): void;
}

interface Followed {
	follower: TenantFollower;
	running: Promise<void>;
}

/**
 * Keeps one follower per child: reads the children from Flight Control now and every `refreshMs`, starts
 * followers for new children, stops those of removed ones and passes renames on. A failed read keeps the
 * current followers and is tried again sooner, on a bounded back-off.
 */
export class ChildRoster {
	private readonly followed = new Map<string, Followed>();
	/** Followers of removed children, by CID, still committing the executions they started. */
	private readonly leaving = new Map<string, Promise<void>>();
	/** Children listed again while their old follower is leaving: followed again once it has finished. */
	private readonly returning = new Set<string>();
	private lastListed: ChildTenant[] = [];
	private readonly overview: IDataObject = { listedAt: null, lastError: null, lastErrorAt: null, following: [] };
	private firstReadDone!: () => void;
	/** Settles once the first read of the children is over, listed or failed: their followers have been made. */
	readonly firstRead = new Promise<void>((resolve) => (this.firstReadDone = resolve));

	constructor(private readonly options: RosterOptions) {
		this.overview.selection = options.selection.kind;
		const earlier = earlierListing(options.recorded, options.selection);
		if (earlier) {
			this.lastListed = earlier.children;
			this.overview.listedAt = earlier.listedAt;
			this.overview.following = earlier.children.map(({ cid, name }) => ({ cid, name }));
		}
	}

	/** Resolves when the trigger closes and every follower has wound down. */
	async run(): Promise<void> {
		const { signal, selection } = this.options;
		let failures = 0;
		while (!signal.aborted) {
			let nextReadMs = selection.refreshMs;
			try {
				this.listed(await childrenToFollow(this.options.context, selection, signal, this.followed.keys()));
				this.options.alarm.recovered();
				failures = 0;
			} catch (error) {
				if (signal.aborted) break;
				// Right after a restart, the children the last read listed: Flight Control down is no reason to stop.
				if (this.followed.size === 0 && this.lastListed.length > 0) this.follow(this.lastListed);
				nextReadMs = Math.min(nextReadMs, backoffDelay(failures++, { initialMs: this.options.backoff.initialMs, maxMs: CHILD_RETRY_MAX_MS }));
				this.failed(describeStreamFailure(error), nextReadMs);
			}
			this.firstReadDone();
			await sleep(nextReadMs, signal).catch(() => undefined);
		}
		this.firstReadDone();
		await Promise.all([...[...this.followed.values()].map(({ running }) => running), ...this.leaving.values()]);
	}

	/** The followers of the children followed now (for tests and health). */
	followers(): TenantFollower[] {
		return [...this.followed.values()].map(({ follower }) => follower);
	}

	/** A successful read of the children: follow them, and record the listing. */
	private listed(children: ChildTenant[]): void {
		this.lastListed = children;
		this.follow(children);
		if (children.length === 0) {
			this.options.context.logger.warn('CrowdStrike Falcon Trigger: Flight Control lists no active child to follow');
			this.options.onNoChild?.();
		}
		this.overview.listedAt = new Date().toISOString();
		this.overview.lastError = null;
		this.overview.lastErrorAt = null;
		this.overview.following = children.map(({ cid, name }) => ({ cid, name }));
		this.options.record?.({ ...this.overview });
		this.options.inUse?.(new Set([...this.followed.keys(), ...this.leaving.keys(), ...this.returning]));
	}

	/** Starts followers for new children, stops those of removed ones and passes renames on. */
	private follow(children: ChildTenant[]): void {
		const wanted = new Map(children.map((child) => [child.cid, child]));
		for (const [cid, { follower, running }] of this.followed) {
			if (wanted.has(cid)) continue;
			follower.stop();
			this.followed.delete(cid);
			this.leaving.set(cid, running);
			void running.finally(() => this.leaving.delete(cid));
			this.options.context.logger.info(`CrowdStrike Falcon Trigger: child ${cid} is no longer listed; its stream is no longer followed`);
		}
		for (const child of wanted.values()) {
			const current = this.followed.get(child.cid);
			if (current) {
				if (child.name !== null && child.name !== current.follower.tenant.name) current.follower.rename(child.name);
				continue;
			}
			if (this.leaving.has(child.cid)) {
				this.followAgainLater(child.cid);
				continue;
			}
			const follower = this.options.followerFor(child);
			// A follower with retry never rejects; the catch only keeps a bug in one child from reaching the others.
			const running = follower.run().catch((error: unknown) => {
				this.options.context.logger.error(`CrowdStrike Falcon Trigger: child ${child.cid} stopped: ${describeStreamFailure(error)}`);
			});
			this.followed.set(child.cid, { follower, running });
		}
	}

	/**
	 * A child removed and listed again while its old follower still waits for executions it started: a new follower
	 * now would read the stored position before those commits, emit the same batches again and, n8n refusing them as
	 * repeats, commit them before they ran. It starts when the old one has finished, if the child is still listed.
	 */
	private followAgainLater(cid: string): void {
		if (this.returning.has(cid)) return;
		this.returning.add(cid);
		this.options.context.logger.info(
			`CrowdStrike Falcon Trigger: child ${cid} is listed again; its stream is followed again once the executions started before it was removed have finished`,
		);
		void this.leaving.get(cid)!.then(() => {
			this.returning.delete(cid);
			if (!this.options.signal.aborted) this.follow(this.lastListed);
		});
	}

	private failed(reason: string, retryInMs: number): void {
		this.options.alarm.failed(reason);
		this.overview.lastError = reason;
		this.overview.lastErrorAt = new Date().toISOString();
		this.options.record?.({ ...this.overview });
		this.options.context.logger.warn(
			`CrowdStrike Falcon Trigger: reading the children from Flight Control failed: ${reason}; still following ${this.followed.size} child(ren), reading again in ${Math.round(retryInMs / 1000)} s`,
		);
	}
}

/** The children an earlier activation's last read listed, for the same selection; undefined when none was stored. */
function earlierListing(
	recorded: unknown,
	selection: RosterOptions['selection'],
): { children: ChildTenant[]; listedAt: IDataObject[string] } | undefined {
	if (!isObject(recorded) || recorded.selection !== selection.kind || !Array.isArray(recorded.following)) return undefined;
	const listed = selection.kind === 'childList' ? new Set(selection.cids) : undefined;
	const children = recorded.following
		.filter(isObject)
		.map((entry) => ({ cid: normaliseCid(String(entry.cid ?? '')), name: typeof entry.name === 'string' ? entry.name : null }))
		.filter((child): child is ChildTenant => child.cid !== undefined && (listed === undefined || listed.has(child.cid)));
	return children.length > 0 ? { children, listedAt: recorded.listedAt ?? null } : undefined;
}
