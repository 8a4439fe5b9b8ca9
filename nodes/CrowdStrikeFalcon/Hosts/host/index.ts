import type { FalconResource } from '../../shared/engine/types';
import { contain } from './contain.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { liftContainment } from './liftContainment.operation';
import { updateTags } from './updateTags.operation';

export const host: FalconResource = {
	value: 'host',
	name: 'Host',
	operations: [contain, get, getAll, liftContainment, updateTags],
	defaultOperation: getAll.value,
};
