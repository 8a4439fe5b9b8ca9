import { sleep } from 'n8n-workflow';

import type { HostGroup } from '../../../nodes/CrowdStrikeFalcon/shared/hosts/hostGroups';
import { sendConcurrency, sendInHostOrder } from '../../../nodes/CrowdStrikeFalcon/shared/hosts/sendInHostOrder';

const group = (index: number, ...aids: string[]): HostGroup =>
	({ lead: { itemIndex: index }, hosts: new Map(aids.map((aid) => [aid, [index]])) }) as unknown as HostGroup;

describe('sendInHostOrder', () => {
	it('sends groups on different hosts at once (up to the limit), and one host\'s groups one after another, in order', async () => {
		const log: string[] = [];
		let running = 0;
		let most = 0;
		const groups = [group(0, 'a'), group(1, 'b'), group(2, 'c'), group(3, 'd'), group(4, 'e'), group(5, 'a'), group(6, 'a', 'f')];
		const sent = await sendInHostOrder(
			groups,
			async (sending) => {
				running++;
				most = Math.max(most, running);
				log.push(`start ${sending.lead.itemIndex}`);
				await sleep(20);
				log.push(`end ${sending.lead.itemIndex}`);
				running--;
				return sending.lead.itemIndex;
			},
			async () => undefined,
		);
		expect(sent).toEqual([0, 1, 2, 3, 4, 5, 6]);
		expect(most).toBe(sendConcurrency.atOnce);
		// Host a: group 0, then 5, then 6, each after the one before ended.
		expect(log.indexOf('start 5')).toBeGreaterThan(log.indexOf('end 0'));
		expect(log.indexOf('start 6')).toBeGreaterThan(log.indexOf('end 5'));
	});

	it('after a failed send starts no further group, abandons the batches sent, and throws that failure', async () => {
		const started: number[] = [];
		const abandoned: number[] = [];
		const failure = new Error('init refused');
		const groups = Array.from({ length: 10 }, (_, index) => group(index, `host-${index}`));
		const run = sendInHostOrder(
			groups,
			async (sending) => {
				started.push(sending.lead.itemIndex);
				await sleep(sending.lead.itemIndex === 0 ? 5 : 30);
				if (sending.lead.itemIndex === 0) throw failure;
				return sending.lead.itemIndex;
			},
			async (sent) => {
				abandoned.push(sent);
			},
		);
		await expect(run).rejects.toBe(failure);
		// The first four went out at once; none after the failure.
		expect(started).toEqual([0, 1, 2, 3]);
		expect(abandoned.sort()).toEqual([1, 2, 3]);
	});
});
