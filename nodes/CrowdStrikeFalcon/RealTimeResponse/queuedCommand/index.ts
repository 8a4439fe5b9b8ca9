import type { FalconResource } from '../../shared/engine/types';
import { deleteQueued } from './delete.operation';
import { get } from './get.operation';

export const queuedCommand: FalconResource = {
	value: 'queuedCommand',
	name: 'Queued Command',
	operations: [deleteQueued, get],
	defaultOperation: get.value,
};
