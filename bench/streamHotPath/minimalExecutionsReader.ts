import type { IDataObject, IRun } from 'n8n-workflow';
import { ObservableObject } from 'n8n-workflow';

import type { OpenFeedBody } from './feedBody';

const IN_FLIGHT = 5;
const SUCCEEDED = { status: 'success' } as IRun;

interface Deferred {
	promise: Promise<IRun>;
	resolve(run: IRun): void;
	reject(error: Error): void;
}

/** As n8n-core's `createDeferredPromise`, which the trigger gets from its context. */
function deferred(): Deferred {
	const result = {} as Deferred;
	result.promise = new Promise<IRun>((resolve, reject) => {
		result.resolve = resolve;
		result.reject = reject;
	});
	return result;
}

/**
 * The bare reader plus what n8n asks of any trigger for one execution per event, and nothing else: the item, a
 * deferred promise for `emit`, one write that tells n8n its static data changed (through n8n's proxies, on a
 * stored state loaded after a restart, as the trigger's runs have), `emit` as the bench's (n8n clears its change
 * flag and the execution finishes at once), and at most 5 executions in flight, the trigger's default. No commit
 * bookkeeping, no health, no deduplication key: the floor a trigger with one execution per event could reach.
 * Reads the body `open` hands over; resolves once `events` executions finished.
 */
export async function readWithMinimalExecutions(open: OpenFeedBody, events: number): Promise<void> {
	const root = ObservableObject.create({ 'node:Falcon Trigger': { offsets: {} } }, undefined, {
		ignoreEmptyOnFirstChild: true,
	}) as IDataObject & { __dataChanged?: boolean };
	const node = root['node:Falcon Trigger'] as IDataObject;
	const emit = (_data: unknown, done: Deferred) => {
		root.__dataChanged = false;
		done.resolve(SUCCEEDED);
	};
	let inFlight = 0;
	let finished = 0;
	let slotFreed: (() => void) | undefined;
	let allFinished: () => void = () => undefined;
	const onFinished = () => {
		inFlight--;
		if (++finished === events) allFinished();
		const wake = slotFreed;
		slotFreed = undefined;
		wake?.();
	};
	const execute = (event: IDataObject): Promise<void> | undefined => {
		const done = deferred();
		const offsets = node.offsets;
		node.offsets = offsets;
		emit([[{ json: event }]], done);
		void done.promise.then(onFinished);
		if (++inFlight < IN_FLIGHT) return undefined;
		return new Promise<void>((resolve) => (slotFreed = resolve));
	};
	const done = new Promise<void>((resolve) => (allFinished = resolve));
	const response = await open();
	await new Promise<void>((resolve, reject) => {
		response.setEncoding('utf8');
		let text = '';
		let start = 0;
		let parsed = 0;
		const consume = (): void => {
			for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
				const line = text.slice(start, end);
				start = end + 1;
				if (line === '') continue;
				const wait = execute(JSON.parse(line) as IDataObject);
				if (++parsed === events) {
					response.destroy();
					resolve();
					return;
				}
				if (wait) {
					// Stops reading while every slot is taken, as the trigger does.
					response.pause();
					void wait.then(() => {
						consume();
						response.resume();
					});
					return;
				}
			}
			text = text.slice(start);
			start = 0;
		};
		response.on('data', (chunk: string) => {
			text += chunk;
			consume();
		});
		response.on('error', reject);
	});
	await done;
}
