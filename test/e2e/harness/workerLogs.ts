/** Execution ids a log names in lines like "Worker started execution 12 (job 7)" (n8n 2.x, level info). */
function executionIds(log: string, pattern: RegExp): string[] {
	return [...log.matchAll(pattern)].map((match) => match[1]);
}

/** What one n8n process's log says about queue-mode executions. */
export interface QueueLog {
	/** Worker: "Worker started execution N (job M)". */
	started: string[];
	/** Worker: "Worker finished execution N (job M)". */
	finished: string[];
	/** Main: "Enqueued execution N (job M)". */
	enqueued: string[];
}

export function readQueueLog(log: string): QueueLog {
	return {
		started: executionIds(log, /Worker started execution (\d+) \(job \d+\)/g),
		finished: executionIds(log, /Worker finished execution (\d+) \(job \d+\)/g),
		enqueued: executionIds(log, /Enqueued execution (\d+) \(job \d+\)/g),
	};
}
