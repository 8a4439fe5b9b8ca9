import type { FalconResource } from '../../shared/engine/types';
import { listAvailable } from './listAvailable.operation';
import { refreshSession } from './refreshSession.operation';

export const stream: FalconResource = {
	value: 'stream',
	name: 'Stream',
	operations: [listAvailable, refreshSession],
};
