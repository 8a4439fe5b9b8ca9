import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { integerBetween } from '../../shared/engine/rules';
import type { ParameterMapping } from '../../shared/engine/types';
import { parseDuration } from '../../shared/transport/goDuration';
import { durationBelow, durationUpTo } from './durations';

/**
 * The most one API call may wait for hosts: Falcon's spec says "maximum is 5 minutes" for timeout, timeout_duration
 * and host_timeout_duration (FalconPy's endpoint tables since 2023-12). Longer waits are the flows' Deadline (polling).
 */
export const MAX_API_WAIT_SECONDS = 300;
/** Falcon's own wait for hosts when a call names none. */
export const DEFAULT_API_WAIT_MS = 30_000;

const apiWaitSeconds: INodeProperties = {
	displayName: 'Wait for Hosts (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_API_WAIT_SECONDS },
	default: 30,
	description:
		"How long Falcon holds the API call open for the hosts to answer (the API's timeout, 1-300; Falcon's default is 30; wait longer with Run and Wait's Deadline). Not a script's own timeout.",
};

const apiWaitDuration: INodeProperties = {
	displayName: 'Wait for Hosts (Duration)',
	name: 'timeoutDuration',
	type: 'string',
	default: '',
	placeholder: 'e.g. 2m30s',
	description:
		"The same wait as a duration (the API's timeout_duration: units ms, s, m, h). Use this or Wait for Hosts (Seconds), not both.",
};

const hostWaitDuration: INodeProperties = {
	displayName: 'Per-Host Timeout (Duration)',
	name: 'hostTimeoutDuration',
	type: 'string',
	default: '',
	placeholder: 'e.g. 25s',
	description:
		"How long each host gets before Falcon answers for it without a result (the API's host_timeout_duration); at most the overall wait, and less than 5 minutes",
};

/** Options for calls that take `timeout` and `timeout_duration`; add the per-host one for batch commands. */
export function timeoutOptions(withHostTimeout: boolean): INodeProperties[] {
	return withHostTimeout ? [hostWaitDuration, apiWaitDuration, apiWaitSeconds] : [apiWaitDuration, apiWaitSeconds];
}

/** Mappings of the timeout options kept in the collection `collection`. */
export function timeoutMappings(collection: string, withHostTimeout: boolean): Record<string, ParameterMapping> {
	const mappings: Record<string, ParameterMapping> = {
		[`${collection}.timeout`]: { to: 'query', as: 'timeout', rules: [integerBetween(1, MAX_API_WAIT_SECONDS)] },
		[`${collection}.timeoutDuration`]: {
			to: 'query',
			as: 'timeout_duration',
			rules: [durationUpTo(MAX_API_WAIT_SECONDS * 1000)],
			transform: (value) => (typeof value === 'string' ? value.trim() : value),
		},
	};
	if (withHostTimeout) {
		mappings[`${collection}.hostTimeoutDuration`] = {
			to: 'query',
			as: 'host_timeout_duration',
			rules: [durationBelow(MAX_API_WAIT_SECONDS * 1000)],
			transform: (value) => (typeof value === 'string' ? value.trim() : value),
		};
	}
	return mappings;
}

/** The overall API wait the options ask for, in milliseconds (Falcon's default when none is set). */
export function apiWaitMs(values: IDataObject, collection: string): number {
	const seconds = values[`${collection}.timeout`];
	if (seconds !== undefined && seconds !== '') return Number(seconds) * 1000;
	const duration = parseDuration(values[`${collection}.timeoutDuration`]);
	return duration ?? DEFAULT_API_WAIT_MS;
}

/** Cross-field checks of the timeout options; returns a message naming the fields. */
export function timeoutProblem(values: IDataObject, collection: string): string | undefined {
	const seconds = values[`${collection}.timeout`];
	const duration = values[`${collection}.timeoutDuration`];
	if (seconds !== undefined && seconds !== '' && duration) {
		return 'set either "Wait for Hosts (Seconds)" or "Wait for Hosts (Duration)", not both';
	}
	const hostMs = parseDuration(values[`${collection}.hostTimeoutDuration`]);
	const overallMs = apiWaitMs(values, collection);
	if (hostMs !== undefined && hostMs > overallMs) {
		return `"Per-Host Timeout (Duration)" (${hostMs / 1000}s) must not be longer than the overall wait (${overallMs / 1000}s)`;
	}
	return undefined;
}

/** The timeout query values among already mapped values (`sent`), for flows that make their own calls. */
export function timeoutQuery(sent: IDataObject, withHostTimeout = false): IDataObject {
	const names = withHostTimeout ? ['timeout', 'timeout_duration', 'host_timeout_duration'] : ['timeout', 'timeout_duration'];
	const qs: IDataObject = {};
	for (const name of names) if (sent[name] !== undefined) qs[name] = sent[name];
	return qs;
}
