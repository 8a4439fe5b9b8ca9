import type { FalconResource } from '../../shared/engine/types';
import { get } from './get.operation';
import { update } from './update.operation';

export const settings: FalconResource = {
	value: 'settings',
	name: 'Settings',
	operations: [get, update],
};
