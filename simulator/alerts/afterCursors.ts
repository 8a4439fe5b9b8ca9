import { ApiError } from '../request';
import { Random } from '../random';
import { SCROLL_TOKEN_LIFETIME_MS } from '../scroll';

interface Cursor<T> {
	/** The last record the page before handed out, as it was then: the next page starts after its sort values. */
	last: T;
	expiresAt: number;
}

/**
 * PostCombinedAlertsV1's `after` tokens, read as a search-after cursor: each page is the query run again, from the
 * first record that sorts after the last one handed out. Nothing is held between pages, so a record whose sort value
 * changes meanwhile (sorted by last update, an alert updated) can move ahead of the cursor and never be read, or
 * move behind it and be read twice: what the fact sheet warns of for sorts on fields that change.
 */
export class AfterCursors<T> {
	private cursors = new Map<string, Cursor<T>>();
	private random: Random;

	constructor(
		private readonly seed: number,
		private readonly label: string,
	) {
		this.random = new Random(seed, label);
	}

	reset(): void {
		this.cursors.clear();
		this.random = new Random(this.seed, this.label);
	}

	/**
	 * The page after `token` (the first page without one) of `matched`, sorted by `order` (a total order), with the
	 * token of the next page when more follow.
	 */
	page(token: string | null, limit: number, matched: T[], order: (a: T, b: T) => number, copy: (record: T) => T) {
		const now = Date.now();
		let start = 0;
		if (token !== null && token !== '') {
			const cursor = this.cursors.get(token);
			if (!cursor) throw new ApiError(400, `invalid after: unknown token '${token.slice(0, 24)}…'`);
			if (cursor.expiresAt <= now) throw new ApiError(400, 'invalid after: the token expired (tokens last 2 minutes)');
			start = matched.findIndex((record) => order(record, cursor.last) > 0);
			if (start < 0) start = matched.length;
		}
		const page = matched.slice(start, start + limit);
		const more = start + page.length < matched.length && page.length > 0;
		let next: string | undefined;
		if (more) {
			next = this.random.bytes(45).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
			this.cursors.set(next, { last: copy(page[page.length - 1]), expiresAt: now + SCROLL_TOKEN_LIFETIME_MS });
		}
		for (const [known, cursor] of this.cursors) if (cursor.expiresAt <= now) this.cursors.delete(known);
		return { page, next, total: matched.length };
	}
}
