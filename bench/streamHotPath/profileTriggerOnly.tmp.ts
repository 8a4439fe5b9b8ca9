/* eslint-disable */
import { startLoopbackFeed } from './loopbackFeed';
import { startBenchTrigger } from './benchTrigger';
import { readWithMinimalExecutions } from './minimalExecutionsReader';

async function main() {
	const feed = await startLoopbackFeed();
	const which = process.argv[2];
	const first = await startBenchTrigger(feed.url, 'batch');
	await first.reached(1_000);
	await first.close();
	const state = { ...(first.staticData()['node:Falcon Trigger'] as any) };
	delete state.offsets;
	delete state.openBatches;
	const restarted = { 'node:Falcon Trigger': state };
	for (let round = 0; round < 4; round++) {
		const cpu = process.cpuUsage();
		if (which === 'minimal') await readWithMinimalExecutions(feed.feedUrl, 300_000);
		else {
			const trigger = await startBenchTrigger(feed.url, 'event', restarted);
			await trigger.reached(300_000);
			await trigger.close();
		}
		const used = process.cpuUsage(cpu);
		console.log(which, ((used.user + used.system) / 300_000).toFixed(2), 'µs/event');
	}
	await feed.close();
	process.exit(0);
}
void main();
