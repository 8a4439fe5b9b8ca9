import type { INodeProperties } from 'n8n-workflow';

import { notEmpty } from '../../shared/engine/rules';
import type { OperationOutput, ParameterMapping } from '../../shared/engine/types';
import { sessionIdField, uuidMapping } from '../shared/fields';

export function deleteFields(idDescription: string, idPlaceholder: string): INodeProperties[] {
	return [
		sessionIdField,
		{
			displayName: 'File ID',
			name: 'fileId',
			type: 'string',
			required: true,
			default: '',
			placeholder: idPlaceholder,
			description: idDescription,
		},
	];
}

export function deleteMappings(idRule: ParameterMapping['rules']): Record<string, ParameterMapping> {
	return {
		sessionId: uuidMapping('query', 'session_id'),
		fileId: { to: 'query', as: 'ids', rules: [notEmpty, ...(idRule ?? [])], transform: (v) => String(v).trim() },
	};
}

export const deletedFile = ({ sent, response }: OperationOutput) => [
	{ session_id: sent.session_id, file_id: sent.ids, deleted: true, trace_id: response.body.meta?.trace_id ?? null },
];
