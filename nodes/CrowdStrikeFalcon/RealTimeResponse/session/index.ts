import type { FalconResource } from '../../shared/engine/types';
import { aggregate } from './aggregate.operation';
import { deleteSession } from './delete.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { refresh } from './refresh.operation';
import { start } from './start.operation';

export const session: FalconResource = {
	value: 'session',
	name: 'Session',
	operations: [aggregate, deleteSession, get, getAll, refresh, start],
	defaultOperation: getAll.value,
};
