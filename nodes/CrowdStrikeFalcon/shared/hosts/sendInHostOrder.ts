import type { HostGroup } from './hostGroups';

/** Batches sent at once: each holds one Falcon call open while its hosts answer. */
export const sendConcurrency = { atOnce: 4 };

/**
 * Runs `send` for each group, several at once, except that a group naming a host of an earlier group starts only
 * once that group's send is done, and not at all if it failed: commands reach each host in the items' order, while a
 * host slow to answer one item's call (Falcon holds a batch call open up to its timeout, 30 s by default) delays no
 * other item's. A failure is thrown once every send under way has ended, none left running unawaited.
 */
export async function sendInHostOrder<T>(groups: HostGroup[], send: (group: HostGroup) => Promise<T>): Promise<T[]> {
	let running = 0;
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
				try {
					return await send(group);
				} finally {
					release();
				}
			}),
		);
	}
	const outcomes = await Promise.allSettled(sends);
	const failed = outcomes.find((outcome) => outcome.status === 'rejected');
	if (failed) throw failed.reason;
	return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
}

function sharesHost(a: HostGroup, b: HostGroup): boolean {
	const [smaller, larger] = a.hosts.size <= b.hosts.size ? [a.hosts, b.hosts] : [b.hosts, a.hosts];
	for (const aid of smaller.keys()) if (larger.has(aid)) return true;
	return false;
}
