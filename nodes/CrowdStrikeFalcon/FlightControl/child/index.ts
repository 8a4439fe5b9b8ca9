import type { FalconResource } from '../../shared/engine/types';
import { get } from './get.operation';
import { getAll } from './getAll.operation';

export const child: FalconResource = {
	value: 'child',
	name: 'Child',
	operations: [get, getAll],
	defaultOperation: getAll.value,
};
