import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { asBoolean } from '../../shared/engine/parameters';
import { numberGiven } from '../../shared/engine/rules';
import type { WaitPlan } from './poll';
import { parseDuration } from '../../shared/transport/goDuration';
import { apiWaitMs, DEFAULT_API_WAIT_MS, timeoutQuery } from './timeouts';

const LIMITS = {
	pollIntervalSeconds: { min: 0.1, max: 300, default: 2, label: 'Poll Interval (Seconds)' },
	deadlineSeconds: { min: 1, max: 86_400, default: 300, label: 'Deadline (Seconds)' },
	keepAliveSeconds: { min: 1, max: 540, default: 240, label: 'Keep-Alive Every (Seconds)' },
} as const;

type WaitOption = keyof typeof LIMITS;

/** Options of the operations that wait for hosts: how often to poll, for how long, how often to refresh sessions. */
export const waitOptions: INodeProperties[] = [
	{
		displayName: 'Deadline (Seconds)',
		name: 'deadlineSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: LIMITS.deadlineSeconds.max },
		default: 300,
		description:
			'How long to wait in total for results, from the first call, before reporting status "timeout" with what arrived so far. May exceed the 5 minute limit of one Falcon API call: the node keeps polling and keeps the session alive. Wait for Hosts, when set, must not be longer; unset, the 30 s Falcon waits by default is cut to a shorter Deadline.',
	},
	{
		displayName: 'Keep-Alive Every (Seconds)',
		name: 'keepAliveSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: LIMITS.keepAliveSeconds.max },
		default: 240,
		description:
			'While waiting, refresh the sessions this often; Falcon ends sessions idle for about 10 minutes',
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: LIMITS.pollIntervalSeconds.min, maxValue: LIMITS.pollIntervalSeconds.max, numberPrecision: 1 },
		default: 2,
		description: 'Longest pause between two status checks (the first checks come sooner)',
	},
];

function read(options: IDataObject, name: WaitOption): number {
	const value = options[name];
	return value === undefined || value === '' ? LIMITS[name].default : numberGiven(value);
}

/** Range and consistency checks of the wait options, before any request. */
export function waitProblem(options: IDataObject = {}): string | undefined {
	for (const name of Object.keys(LIMITS) as WaitOption[]) {
		const value = read(options, name);
		const { min, max, label } = LIMITS[name];
		if (!Number.isFinite(value) || value < min || value > max) {
			return `"${label}" must be from ${min} to ${max} (got ${JSON.stringify(options[name])})`;
		}
	}
	if (read(options, 'deadlineSeconds') < read(options, 'pollIntervalSeconds')) {
		return '"Deadline (Seconds)" must not be shorter than "Poll Interval (Seconds)"';
	}
	return undefined;
}

/**
 * The Deadline counts from the first call, whose own wait for hosts (Wait for Hosts, when set) must fit in it:
 * otherwise one call for an unresponsive host would hold the node past its Deadline.
 */
export function apiWaitProblem(values: IDataObject, collection: string): string | undefined {
	const options = (values[collection] ?? {}) as IDataObject;
	const set = (name: string) => options[name] !== undefined && options[name] !== '';
	if (asBoolean(options.waitForCompletion) === false || (!set('timeout') && !set('timeoutDuration'))) return undefined;
	const apiSeconds = apiWaitMs(values, collection) / 1000;
	const deadlineSeconds = read(options, 'deadlineSeconds');
	if (apiSeconds <= deadlineSeconds) return undefined;
	return `"Wait for Hosts" (${apiSeconds}s) must not be longer than "Deadline (Seconds)" (${deadlineSeconds}s), which counts from the first call`;
}

/**
 * The wait for hosts of a flow's calls: the one the user set, else Falcon's 30 s default cut to a shorter Deadline
 * (a call naming none was held 30 s for an unresponsive host past a Deadline of 5), never below a Per-Host Timeout.
 */
export function apiWaitQuery(sent: IDataObject, options: IDataObject, withHostTimeout = false): IDataObject {
	const qs = timeoutQuery(sent, withHostTimeout);
	if (qs.timeout !== undefined || qs.timeout_duration !== undefined || asBoolean(options.waitForCompletion) === false) return qs;
	const deadlineSeconds = read(options, 'deadlineSeconds');
	if (deadlineSeconds * 1000 >= DEFAULT_API_WAIT_MS) return qs;
	const hostSeconds = Math.ceil((parseDuration(qs.host_timeout_duration) ?? 0) / 1000);
	return { ...qs, timeout: Math.max(1, Math.floor(deadlineSeconds), hostSeconds) };
}

export function waitPlanFrom(
	context: IExecuteFunctions,
	options: IDataObject,
	itemIndex: number,
	keepAlive?: () => Promise<void>,
	startedAt = Date.now(),
): WaitPlan {
	return {
		pollIntervalMs: read(options, 'pollIntervalSeconds') * 1000,
		deadline: startedAt + read(options, 'deadlineSeconds') * 1000,
		keepAliveEveryMs: read(options, 'keepAliveSeconds') * 1000,
		keepAlive,
		itemIndex,
		cancelSignal: context.getExecutionCancelSignal?.(),
	};
}
