import { ApiError } from './request';
import { Random } from './random';

/** Scroll tokens live this long after they were handed out ("expires after 2 minutes"). */
export const SCROLL_TOKEN_LIFETIME_MS = 120_000;

/**
 * Opaque paging tokens, each standing for the position it was handed out for, for 2 minutes: re-sending one (a
 * retry) means the same position. Unknown or expired tokens → 400, naming the request's parameter.
 */
export class PagingTokens<Position> {
	private positions = new Map<string, { position: Position; expiresAt: number }>();
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
		this.positions.clear();
		this.random = new Random(this.seed, this.label);
	}

	/** The position `token` stands for. */
	positionOf(token: string, now: number): Position {
		const found = this.positions.get(token);
		if (!found) throw new ApiError(400, `invalid ${this.parameter}: unknown token '${token.slice(0, 24)}…'`);
		if (found.expiresAt <= now) throw new ApiError(400, `invalid ${this.parameter}: the token expired (tokens last 2 minutes)`);
		return found.position;
	}

	/** A new token for `position`, and when it expires; tokens past their lifetime are forgotten. */
	issue(position: Position, now: number): { token: string; expiresAt: number } {
		const token = this.random.bytes(45).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
		const expiresAt = now + SCROLL_TOKEN_LIFETIME_MS;
		this.positions.set(token, { position, expiresAt });
		for (const [known, entry] of this.positions) if (entry.expiresAt <= now) this.positions.delete(known);
		return { token, expiresAt };
	}
}

interface Cursor {
	/** The matching ids when the scroll started; later pages read from this snapshot. */
	ids: string[];
	/** Index of the first id the token's page returns. */
	position: number;
}

/**
 * Paging tokens of QueryDevicesByFilterScroll (`offset`): each page hands out a new opaque token for the next page,
 * a position in the snapshot of the ids the scroll started with.
 */
export class ScrollCursors {
	private readonly tokens: PagingTokens<Cursor>;

	constructor(seed: number, label: string, parameter: string) {
		this.tokens = new PagingTokens(seed, label, parameter);
	}

	reset(): void {
		this.tokens.reset();
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
		const cursor = token === null || token === '' ? { ids: start(), position: 0 } : this.tokens.positionOf(token, now);
		const end = Math.min(cursor.ids.length, cursor.position + limit);
		const { token: next, expiresAt } = this.tokens.issue({ ids: cursor.ids, position: end }, now);
		const total = cursor.ids.length;
		return { ids: cursor.ids.slice(cursor.position, end), next, expiresAt, total, more: end < total };
	}
}
