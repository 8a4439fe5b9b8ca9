interface Entry {
	/** Highest offset this entry covers (skipped events coalesce into one entry). */
	offset: number;
	done: boolean;
}

/**
 * One partition's commit position. Executions finish in any order, but the committed offset only moves past an
 * event once it and every earlier event are done, so a restart from `committed + 1` never skips an unfinished one.
 * Memory is bounded by what is in flight: runs of finished or filtered events collapse into one entry.
 */
export class CommitTracker {
	private readonly entries: Entry[] = [];

	constructor(public committed: number | undefined = undefined) {}

	/** An event handed to a workflow execution: it holds the position until `complete`. */
	begin(offset: number): void {
		this.entries.push({ offset, done: false });
	}

	/** An event that needs no execution (filtered out, unreadable): done at once, committed in order. */
	skip(offset: number): void {
		const tail = this.entries[this.entries.length - 1];
		if (tail?.done) tail.offset = offset;
		else this.entries.push({ offset, done: true });
		this.advance();
	}

	/** Returns true when the committed offset moved. */
	complete(offset: number): boolean {
		// Executions mostly finish in order, so the entry is usually the first one.
		for (const entry of this.entries) {
			if (entry.done || entry.offset !== offset) continue;
			entry.done = true;
			break;
		}
		return this.advance();
	}

	get inFlight(): number {
		return this.entries.filter((entry) => !entry.done).length;
	}

	get entryCount(): number {
		return this.entries.length;
	}

	private advance(): boolean {
		const before = this.committed;
		while (this.entries.length > 0 && this.entries[0].done) this.committed = this.entries.shift()!.offset;
		return this.committed !== before;
	}
}
