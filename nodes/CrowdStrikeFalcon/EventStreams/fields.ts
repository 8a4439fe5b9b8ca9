import type { INodeProperties } from 'n8n-workflow';

import { appIdProblem } from '../shared/stream/appId';
import type { Rule } from '../shared/engine/rules';

export const appIdRule: Rule = (value) =>
	value === undefined || value === '' ? undefined : appIdProblem(String(value));

export function appIdField(description: string, required = true): INodeProperties {
	return {
		displayName: 'App ID',
		name: 'appId',
		type: 'string',
		required,
		default: '',
		placeholder: 'e.g. socPlaybooks01',
		description,
	};
}
