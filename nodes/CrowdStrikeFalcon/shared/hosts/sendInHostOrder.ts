import type { HostGroup } from './hostGroups';

/** Batches sent at once: each holds one Falcon call open while its hosts answer. */
export const sendConcurrency = { atOnce: 4 };

/** Why a group was not sent: an earlier send failed and the run ends with that failure. */
const NOT_SENT = new Error('not sent: an earlier batch failed');

/**
 * Runs `send` for each group, several at once, except that a group naming a host of an earlier group starts only
 * once that group's send is done: commands reach each host in the items' order, while a host slow to answer one
 * item's call (Falcon holds a batch call open up to its timeout, 30 s by default) delays no other item's. Once a send
 * fails no further group starts; the run throws that failure when the sends under way have ended, after `abandon`
 * was given each batch sent (so nothing it started keeps running).
 */
export async function sendInHostOrder<T>(
	groups: HostGroup[],
	send: (group: HostGroup) => Promise<T>,
	abandon: (sent: T) => Promise<void>,
): Promise<T[]> {
	let running = 0;
	let failed = false;
	const waiting: Array<() => void> = [];
	const slot = async () => {
		if (running < sendConcurrency.atOnce) running++;
		// A send that ends hands its slot over.
		else await new Promise<void>((resolve) => waiting.push(resolve));
	};
	const release = () => {
		const next = waiting.shift();
		if (next) next();
		else running--;
	};
	const sends: Array<Promise<T>> = [];
	for (const group of groups) {
		const earlier = sends.filter((_, other) => sharesHost(groups[other], group));
		sends.push(
			Promise.all(earlier).then(async () => {
				await slot();
				let sent = false;
				try {
					if (failed) throw NOT_SENT;
					const value = await send(group);
					sent = true;
					return value;
				} finally {
					if (!sent) failed = true;
					release();
				}
			}),
		);
	}
	const outcomes = await Promise.allSettled(sends);
	const failure = outcomes.find((outcome) => outcome.status === 'rejected' && outcome.reason !== NOT_SENT);
	if (!failure) return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
	for (const outcome of outcomes) if (outcome.status === 'fulfilled') await abandon(outcome.value);
	throw (failure as PromiseRejectedResult).reason;
}

function sharesHost(a: HostGroup, b: HostGroup): boolean {
	const [smaller, larger] = a.hosts.size <= b.hosts.size ? [a.hosts, b.hosts] : [b.hosts, a.hosts];
	for (const aid of smaller.keys()) if (larger.has(aid)) return true;
	return false;
}
