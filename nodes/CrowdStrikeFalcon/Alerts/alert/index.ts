import type { FalconResource } from '../../shared/engine/types';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { update } from './update.operation';

export const alert: FalconResource = {
	value: 'alert',
	name: 'Alert',
	operations: [get, getAll, update],
	defaultOperation: getAll.value,
};
