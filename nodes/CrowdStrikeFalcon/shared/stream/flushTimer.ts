import { sleep } from '../sleep';

/**
 * The max-wait deadline of the batch being filled, watched by at most one sleep at a time for the delivery's life:
 * one timer and one abort listener, however many batches pass. A batch sent full only clears the deadline; the
 * sleep, when it ends, finds no deadline (and stops) or a later batch's deadline (and sleeps on until then).
 */
export class FlushTimer {
	private deadline: number | undefined;
	private sleeping = false;

	constructor(
		private readonly signal: AbortSignal,
		private readonly onDue: () => void,
	) {}

	/** Whether a sleep is pending. */
	get pending(): boolean {
		return this.sleeping;
	}

	/** The batch being filled must be sent at this time (epoch ms). */
	sendBy(deadline: number): void {
		this.deadline = deadline;
		if (!this.sleeping) void this.sleepUntilDue();
	}

	/** The batch was sent: no deadline until the next one begins. */
	cancel(): void {
		this.deadline = undefined;
	}

	private async sleepUntilDue(): Promise<void> {
		this.sleeping = true;
		try {
			while (this.deadline !== undefined) {
				try {
					await sleep(Math.max(0, this.deadline - Date.now()), this.signal);
				} catch {
					return;
				}
				if (this.deadline !== undefined && Date.now() >= this.deadline) {
					this.deadline = undefined;
					this.onDue();
				}
			}
		} finally {
			this.sleeping = false;
		}
	}
}
