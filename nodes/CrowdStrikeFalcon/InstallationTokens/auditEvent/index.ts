import type { FalconResource } from '../../shared/engine/types';
import { get } from './get.operation';
import { getAll } from './getAll.operation';

export const auditEvent: FalconResource = {
	value: 'auditEvent',
	name: 'Audit Event',
	operations: [get, getAll],
};
