import type { FalconResource } from '../../shared/engine/types';
import { create } from './create.operation';
import { deleteToken } from './delete.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { update } from './update.operation';

export const token: FalconResource = {
	value: 'token',
	name: 'Token',
	operations: [create, deleteToken, get, getAll, update],
	defaultOperation: getAll.value,
};
