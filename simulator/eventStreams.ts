import { ApiError, requireQuery, type ApiRequest } from './request';
import { envelope, errorEnvelope, metaOnly, STREAMED, type HandlerResult } from './envelope';
import type { Faults } from './faults';
import { Random } from './random';
import type { Route } from './router';
import { after, every } from './timers';
import type { EventGenerator, EventStore, StreamEvent } from './events';

export interface StreamSettings {
	seed: number;
	refreshIntervalSeconds: number;
	feedTokenLifetimeSeconds: number;
	keepAliveMs: number;
	appIdReleaseMs: number;
	eventsPerSecond: number;
}

interface StreamSession {
	token: string;
	appId: string;
	partition: number;
	format: 'json' | 'flatjson';
	/** The token only opens a feed until then; an open feed lives on through refreshes. */
	tokenExpiresAt: number;
	/** An open feed is closed once this passes without a refresh. */
	refreshDeadline: number;
}

interface Feed {
	session: StreamSession;
	eventTypes?: Set<string>;
	nextOffset: number;
	lastWriteAt: number;
	openedAt: number;
	req: ApiRequest;
	stop(): void;
}

export interface StreamState {
	/** Events ever appended per partition (= the offset the next event gets). */
	eventCounts: number[];
	partitions: Array<{ partition: number; firstOffset: number; nextOffset: number }>;
	openFeeds: Array<{ partition: number; appId: string; nextOffset: number; openedAt: string }>;
	discoveries: number;
	refreshes: number[];
}

const APP_ID = /^[A-Za-z0-9]{1,32}$/;
const REFRESH_ACTION = 'refresh_active_stream_session';

function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
	} else {
		out[prefix] = value;
	}
	return out;
}

/** Event Streams: discovery, the long-lived NDJSON feed with Token auth, and session refresh. */
export class EventStreams {
	private sessions = new Map<string, StreamSession>();
	private current = new Map<string, StreamSession>();
	private feeds = new Set<Feed>();
	private releasedAt = new Map<string, number>();
	private random: Random;
	private discoveries = 0;
	private refreshes: number[];
	private stopGenerator?: () => void;

	constructor(
		private readonly store: EventStore,
		private readonly generator: EventGenerator,
		private readonly faults: Faults,
		private readonly settings: StreamSettings,
		private readonly baseUrl: () => string,
		private readonly headers: (req: ApiRequest) => Record<string, string>,
	) {
		this.random = new Random(settings.seed, 'streams');
		this.refreshes = new Array(store.count).fill(0);
		store.subscribe((partition) => this.feeds.forEach((f) => f.session.partition === partition && this.pump(f)));
		this.startGenerator();
	}

	private startGenerator(): void {
		const perSecond = this.settings.eventsPerSecond;
		if (perSecond <= 0) return;
		const tickMs = Math.max(10, Math.round(1000 / perSecond));
		let due = 0;
		let partition = 0;
		let last = Date.now();
		this.stopGenerator = every(tickMs, () => {
			const now = Date.now();
			const elapsedMs = now - last;
			last = now;
			if (this.faults.pauseEventGeneration) return;
			// By the time that passed, not the ticks that ran: Falcon's sensors do not slow down with a busy client.
			due += (perSecond * elapsedMs) / 1000;
			for (; due >= 1; due--) {
				const type = this.generator.nextType();
				this.store.append(partition, type, this.generator.body(type), this.faults.falconNow());
				partition = (partition + 1) % this.store.count;
			}
		});
	}

	inject(e: { eventType: string; event?: object; partition?: number; createdAt?: number }): { partition: number; offset: number } {
		const partition = e.partition ?? 0;
		if (!Number.isInteger(partition) || partition < 0 || partition >= this.store.count) {
			throw new ApiError(400, `partition must be between 0 and ${this.store.count - 1}`);
		}
		return this.store.append(partition, e.eventType, this.generator.compose(e.eventType, { ...(e.event ?? {}) }), e.createdAt ?? this.faults.falconNow());
	}

	/** Whether this discovery handed out the feed session token (tells which tenant a feed request is for). */
	issuedSessionToken(token: string): boolean {
		return this.sessions.has(token);
	}

	/** Ends every feed and the generator; used by reset() and close(). */
	shutdown(): void {
		this.stopGenerator?.();
		this.stopGenerator = undefined;
		for (const feed of [...this.feeds]) {
			feed.stop();
			feed.req.res.destroy();
		}
	}

	restart(): void {
		this.shutdown();
		this.sessions.clear();
		this.current.clear();
		this.releasedAt.clear();
		this.random = new Random(this.settings.seed, 'streams');
		this.discoveries = 0;
		this.refreshes.fill(0);
		this.store.clear();
		this.generator.reset();
		this.startGenerator();
	}

	state(): StreamState {
		return {
			eventCounts: this.store.counts(),
			partitions: this.store.counts().map((nextOffset, partition) => ({
				partition,
				firstOffset: this.store.firstOffset(partition),
				nextOffset,
			})),
			openFeeds: [...this.feeds].map((f) => ({
				partition: f.session.partition,
				appId: f.session.appId,
				nextOffset: f.nextOffset,
				openedAt: new Date(f.openedAt).toISOString(),
			})),
			discoveries: this.discoveries,
			refreshes: [...this.refreshes],
		};
	}

	private appIdBusy(appId: string): boolean {
		if ([...this.feeds].some((f) => f.session.appId === appId)) return true;
		const released = this.releasedAt.get(appId);
		return released !== undefined && Date.now() - released < this.settings.appIdReleaseMs;
	}

	private discover(req: ApiRequest): HandlerResult {
		const appId = requireQuery(req.query, 'appId');
		if (!APP_ID.test(appId)) throw new ApiError(400, 'appId must be 1-32 alphanumeric characters (a-z, A-Z, 0-9)');
		const format = req.query.get('format') ?? 'json';
		if (format !== 'json' && format !== 'flatjson') throw new ApiError(400, "format must be 'json' or 'flatjson'");
		this.discoveries++;
		if (this.faults.take('emptyDiscovery') || this.appIdBusy(appId)) {
			return envelope(req, 200, [], { poweredBy: 'FalconHose' });
		}
		const base = this.baseUrl();
		const now = Date.now();
		const offered = this.store.count - (this.store.count > 1 && this.faults.take('partialDiscovery') ? 1 : 0);
		const resources = Array.from({ length: offered }, (_, partition) => {
			const session: StreamSession = {
				token: this.random.hex(64),
				appId,
				partition,
				format,
				tokenExpiresAt: now + this.settings.feedTokenLifetimeSeconds * 1000,
				refreshDeadline: now + this.settings.refreshIntervalSeconds * 1000,
			};
			this.sessions.set(session.token, session);
			this.current.set(`${appId}:${partition}`, session);
			const app = encodeURIComponent(appId);
			return {
				dataFeedURL: `${base}/sensors/entities/datafeed/v1/${partition}?appId=${app}`,
				sessionToken: { token: session.token, expiration: new Date(session.tokenExpiresAt).toISOString() },
				refreshActiveSessionURL: `${base}/sensors/entities/datafeed-actions/v1/${partition}?appId=${app}&action_name=${REFRESH_ACTION}`,
				refreshActiveSessionInterval: this.settings.refreshIntervalSeconds,
			};
		});
		return envelope(req, 200, resources, { poweredBy: 'FalconHose' });
	}

	private partitionParam(req: ApiRequest): number {
		const partition = Number(req.params.partition);
		if (!Number.isInteger(partition) || partition < 0 || partition >= this.store.count) {
			throw new ApiError(404, `partition ${req.params.partition} does not exist`);
		}
		return partition;
	}

	private refresh(req: ApiRequest): HandlerResult {
		const partition = this.partitionParam(req);
		if (req.query.get('action_name') !== REFRESH_ACTION) throw new ApiError(400, `action_name must be '${REFRESH_ACTION}'`);
		const appId = requireQuery(req.query, 'appId');
		if (!(req.headers['content-type'] ?? '').includes('application/json')) {
			throw new ApiError(400, 'Content-Type: application/json is required (send an empty JSON body)');
		}
		if (this.faults.take('refresh5xx')) {
			return errorEnvelope(req, 503, [{ code: 503, message: 'simulated refresh failure (fault injection)' }]);
		}
		const session = this.current.get(`${appId}:${partition}`);
		if (!session) throw new ApiError(404, `no active stream session for appId '${appId}' on partition ${partition}`);
		session.refreshDeadline = Date.now() + this.settings.refreshIntervalSeconds * 1000;
		this.refreshes[partition]++;
		return metaOnly(req, 200, [], { poweredBy: 'FalconHose' });
	}

	private openFeed(req: ApiRequest): HandlerResult {
		const partition = this.partitionParam(req);
		const appId = requireQuery(req.query, 'appId');
		const token = /^token\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
		const session = token ? this.sessions.get(token) : undefined;
		const now = Date.now();
		const denied =
			this.faults.take('feed401') ||
			!session ||
			session.partition !== partition ||
			session.appId !== appId ||
			session.tokenExpiresAt <= now ||
			session.refreshDeadline <= now;
		if (denied || !session) throw new ApiError(401, 'access denied, invalid or expired stream session token');

		const offsetParam = req.query.get('offset');
		let start = this.store.firstOffset(partition);
		if (req.query.get('whence') === '2') start = this.store.nextOffset(partition);
		if (offsetParam !== null && offsetParam !== '') {
			const offset = Number(offsetParam);
			if (!Number.isInteger(offset) || offset < 0) throw new ApiError(400, 'offset must be a non-negative integer');
			start = Math.max(offset - this.faults.feedRepeatsBefore, start);
		}
		const types = req.query.get('eventType');
		const res = req.res;
		// Held until the client gives up (a proxy that accepted the connection and hangs).
		if (this.faults.take('feedUnanswered')) return STREAMED;
		res.writeHead(200, { ...this.headers(req), 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
		res.flushHeaders();

		const tickMs = Math.max(5, Math.min(this.settings.keepAliveMs, 250));
		const feed: Feed = {
			session,
			eventTypes: types ? new Set(types.split(',').map((t) => t.trim()).filter(Boolean)) : undefined,
			nextOffset: start,
			lastWriteAt: now,
			openedAt: now,
			req,
			stop: () => undefined,
		};
		const stopTicker = every(tickMs, () => this.tick(feed));
		feed.stop = () => {
			stopTicker();
			if (this.feeds.delete(feed)) this.releasedAt.set(session.appId, Date.now());
		};
		this.feeds.add(feed);
		res.on('close', () => feed.stop());
		this.pump(feed);
		return STREAMED;
	}

	private tick(feed: Feed): void {
		const res = feed.req.res;
		if (feed.session.refreshDeadline <= Date.now()) {
			feed.stop();
			res.end();
			return;
		}
		this.pump(feed);
		if (!this.faults.feedSilence && this.feeds.has(feed) && Date.now() - feed.lastWriteAt >= this.settings.keepAliveMs) {
			res.write('\n');
			feed.lastWriteAt = Date.now();
		}
	}

	/** Writes every event the feed has not sent yet, unless the feed is silenced or cut by a fault. */
	private pump(feed: Feed): void {
		const res = feed.req.res;
		const partition = feed.session.partition;
		while (this.feeds.has(feed) && !this.faults.feedSilence && feed.nextOffset < this.store.nextOffset(partition)) {
			const event = this.store.at(partition, feed.nextOffset) as StreamEvent;
			feed.nextOffset = event.metadata.offset + 1;
			if (feed.eventTypes && !feed.eventTypes.has(event.metadata.eventType)) continue;
			const line = JSON.stringify(feed.session.format === 'flatjson' ? flatten(event) : event);
			if (this.faults.take('dropFeedMidLine')) {
				res.write(line.slice(0, Math.floor(line.length / 2)));
				feed.stop();
				// Give the half line time to reach the client before cutting the socket, so it sees a torn record.
				after(20, () => res.destroy());
				return;
			}
			res.write(`${line}\n`);
			feed.lastWriteAt = Date.now();
		}
	}

	routes(): Route[] {
		return [
			{ method: 'GET', path: '/sensors/entities/datafeed/v2', auth: 'bearer', handler: (req) => this.discover(req) },
			{ method: 'POST', path: '/sensors/entities/datafeed-actions/v1/:partition', auth: 'bearer', handler: (req) => this.refresh(req) },
			{ method: 'GET', path: '/sensors/entities/datafeed/v1/:partition', auth: 'none', handler: (req) => this.openFeed(req) },
		];
	}
}
