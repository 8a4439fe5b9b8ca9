import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { integerBetween } from '../../shared/engine/rules';
import { MAX_HOSTS_PER_BATCH } from './batch';

export const hostsPerRequestOption: INodeProperties = {
	displayName: 'Hosts per Session Request',
	name: 'hostsPerRequest',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_HOSTS_PER_BATCH },
	default: 500,
	description:
		'Large host lists are opened in chunks of this size, all joined into one batch; smaller chunks ride out the 500s Falcon gives on very large requests',
};

export const waitForCompletionOption: INodeProperties = {
	displayName: 'Wait for Completion',
	name: 'waitForCompletion',
	type: 'boolean',
	default: true,
	description:
		'Whether to keep polling hosts that had not finished when Falcon answered, until the deadline, instead of reporting them as "timeout" at once',
};

export function hostsPerRequestProblem(options: IDataObject = {}): string | undefined {
	const problem = integerBetween(1, MAX_HOSTS_PER_BATCH)(options.hostsPerRequest);
	return problem && `"Hosts per Session Request" ${problem}`;
}

export function hostsPerRequest(options: IDataObject = {}): number {
	return options.hostsPerRequest === undefined || options.hostsPerRequest === '' ? 500 : Number(options.hostsPerRequest);
}
