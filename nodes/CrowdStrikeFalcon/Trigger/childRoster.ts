import type { IDataObject, ITriggerFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { backoffDelay, type BackoffPolicy } from '../shared/stream/backoff';
import { describeStreamFailure } from '../shared/stream/failures';
import { childrenToFollow, type ChildTenant } from './childTenants';
import { CHILD_RETRY_MAX_MS, type TenantFollower } from './tenantFollower';
import type { TenantSelection } from './tenantSelection';

export interface RosterOptions {
	context: ITriggerFunctions;
	selection: Exclude<TenantSelection, { kind: 'credential' }>;
	/** Where the roster says how the children were last read (the node's static data); none for test runs. */
	record?: (overview: IDataObject) => void;
	backoff: BackoffPolicy;
	/** Told when reading the children fails and when it works again (one alert per outage). */
	alarm: { failed(reason: string): void; recovered(): void };
	signal: AbortSignal;
	/** A follower for a child that is not followed yet (not started). */
	followerFor(child: ChildTenant): TenantFollower;
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
	/** Followers of removed children, still committing the executions they started. */
	private readonly leaving = new Set<Promise<void>>();
	private readonly overview: IDataObject = { listedAt: null, lastError: null, lastErrorAt: null, following: [] };

	constructor(private readonly options: RosterOptions) {
		this.overview.selection = options.selection.kind;
	}

	/** Resolves when the trigger closes and every follower has wound down. */
	async run(): Promise<void> {
		const { signal, selection } = this.options;
		let failures = 0;
		while (!signal.aborted) {
			let nextReadMs = selection.refreshMs;
			try {
				this.follow(await childrenToFollow(this.options.context, selection, signal));
				this.options.alarm.recovered();
				failures = 0;
			} catch (error) {
				if (signal.aborted) break;
				nextReadMs = Math.min(nextReadMs, backoffDelay(failures++, { initialMs: this.options.backoff.initialMs, maxMs: CHILD_RETRY_MAX_MS }));
				this.failed(describeStreamFailure(error), nextReadMs);
			}
			await sleep(nextReadMs, signal).catch(() => undefined);
		}
		await Promise.all([...[...this.followed.values()].map(({ running }) => running), ...this.leaving]);
	}

	/** The followers of the children followed now (for tests and health). */
	followers(): TenantFollower[] {
		return [...this.followed.values()].map(({ follower }) => follower);
	}

	private follow(children: ChildTenant[]): void {
		const wanted = new Map(children.map((child) => [child.cid, child]));
		for (const [cid, { follower, running }] of this.followed) {
			if (wanted.has(cid)) continue;
			follower.stop();
			this.followed.delete(cid);
			this.leaving.add(running);
			void running.finally(() => this.leaving.delete(running));
			this.options.context.logger.info(`CrowdStrike Falcon Trigger: child ${cid} is no longer listed; its stream is no longer followed`);
		}
		for (const child of wanted.values()) {
			const current = this.followed.get(child.cid);
			if (current) {
				if (child.name !== null && child.name !== current.follower.tenant.name) current.follower.rename(child.name);
				continue;
			}
			const follower = this.options.followerFor(child);
			// A follower with retry never rejects; the catch only keeps a bug in one child from reaching the others.
			const running = follower.run().catch((error: unknown) => {
				this.options.context.logger.error(`CrowdStrike Falcon Trigger: child ${child.cid} stopped: ${describeStreamFailure(error)}`);
			});
			this.followed.set(child.cid, { follower, running });
		}
		if (children.length === 0) {
			this.options.context.logger.warn('CrowdStrike Falcon Trigger: Flight Control lists no active child to follow');
		}
		this.overview.listedAt = new Date().toISOString();
		this.overview.lastError = null;
		this.overview.lastErrorAt = null;
		this.overview.following = children.map(({ cid, name }) => ({ cid, name }));
		this.options.record?.({ ...this.overview });
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
