import { ApiError } from './request';
import { Random } from './random';

/** Scroll tokens live this long after they were handed out ("expires after 2 minutes"). */
export const SCROLL_TOKEN_LIFETIME_MS = 120_000;

interface Cursor {
	/** The matching ids when the scroll started; later pages read from this snapshot. */
	ids: string[];
	/** Index of the first id the token's page returns. */
	position: number;
	expiresAt: number;
}

/**
 * Paging tokens of QueryDevicesByFilterScroll (`offset`) and PostCombinedAlertsV1 (`after`). Each page hands out a
 * new opaque token for the next page; a token always means the same position, so re-sending it (a retry) returns
 * the same page. Unknown or expired tokens → 400.
 */
export class ScrollCursors {
	private cursors = new Map<string, Cursor>();
	private random: Random;

	constructor(
		private readonly seed: number,
		private readonly label: string,
		/** The request's name for the token, for error messages (`offset`, `after`). */
		private readonly parameter: string,
	) {
		this.random = new Random(seed, label);
	}

	reset(): void {
		this.cursors.clear();
		this.random = new Random(this.seed, this.label);
	}

	/**
	 * The page at this token (or the first page of `start()` when there is none), the token for the next one and
	 * whether the snapshot holds more after this page.
	 */
	page(
		token: string | null,
		limit: number,
		start: () => string[],
	): { ids: string[]; next: string; expiresAt: number; total: number; more: boolean } {
		const now = Date.now();
		let cursor: Cursor;
		if (token === null || token === '') {
			cursor = { ids: start(), position: 0, expiresAt: 0 };
		} else {
			const found = this.cursors.get(token);
			if (!found) throw new ApiError(400, `invalid ${this.parameter}: unknown token '${token.slice(0, 24)}…'`);
			if (found.expiresAt <= now) throw new ApiError(400, `invalid ${this.parameter}: the token expired (tokens last 2 minutes)`);
			cursor = found;
		}
		const end = Math.min(cursor.ids.length, cursor.position + limit);
		const next = this.random.bytes(45).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
		const expiresAt = now + SCROLL_TOKEN_LIFETIME_MS;
		this.cursors.set(next, { ids: cursor.ids, position: end, expiresAt });
		this.dropExpired(now);
		const total = cursor.ids.length;
		return { ids: cursor.ids.slice(cursor.position, end), next, expiresAt, total, more: end < total };
	}

	private dropExpired(now: number): void {
		for (const [token, cursor] of this.cursors) if (cursor.expiresAt <= now) this.cursors.delete(token);
	}
}
