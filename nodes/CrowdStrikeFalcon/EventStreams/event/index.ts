import type { FalconResource } from '../../shared/engine/types';
import { read } from './read.operation';

export const event: FalconResource = {
	value: 'event',
	name: 'Event',
	operations: [read],
};
