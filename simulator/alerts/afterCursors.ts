import { PagingTokens } from '../scroll';

/**
 * PostCombinedAlertsV1's `after` tokens, read as a search-after cursor: each page is the query run again, from the
 * first record that sorts after the last one handed out. Nothing is held between pages, so a record whose sort value
 * changes meanwhile (sorted by last update, an alert updated) can move ahead of the cursor and never be read, or
 * move behind it and be read twice: what the fact sheet warns of for sorts on fields that change.
 */
export class AfterCursors<T> {
	/** A token stands for the last record the page before handed out, as it was then. */
	private readonly tokens: PagingTokens<T>;

	constructor(seed: number, label: string) {
		this.tokens = new PagingTokens(seed, label, 'after');
	}

	reset(): void {
		this.tokens.reset();
	}

	/**
	 * The page after `token` (the first page without one) of `matched`, sorted by `order` (a total order), with the
	 * token of the next page when more follow.
	 */
	page(token: string | null, limit: number, matched: T[], order: (a: T, b: T) => number, copy: (record: T) => T) {
		const now = Date.now();
		let start = 0;
		if (token !== null && token !== '') {
			const last = this.tokens.positionOf(token, now);
			start = matched.findIndex((record) => order(record, last) > 0);
			if (start < 0) start = matched.length;
		}
		const page = matched.slice(start, start + limit);
		const more = start + page.length < matched.length && page.length > 0;
		const next = more ? this.tokens.issue(copy(page[page.length - 1]), now).token : undefined;
		return { page, next, total: matched.length };
	}
}
