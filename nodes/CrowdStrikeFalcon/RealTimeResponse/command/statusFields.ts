import type { INodeProperties } from 'n8n-workflow';

import { integerBetween } from '../../shared/engine/rules';
import type { ParameterMapping } from '../../shared/engine/types';
import { cloudRequestIdField, uuidMapping } from '../shared/fields';

export const statusFields: INodeProperties[] = [
	cloudRequestIdField,
	{
		displayName: 'Sequence ID',
		name: 'sequenceId',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Which chunk of a long output to read: start at 0; a response whose sequence_id is higher than the one asked for has another chunk there',
	},
];

export const statusMappings: Record<string, ParameterMapping> = {
	cloudRequestId: uuidMapping('query', 'cloud_request_id'),
	sequenceId: { to: 'query', as: 'sequence_id', rules: [integerBetween(0, 1_000_000)], transform: (v) => Number(v ?? 0) },
};
