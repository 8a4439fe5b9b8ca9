import type { IDataObject } from 'n8n-workflow';

import { readParameters } from '../../shared/engine/parameters';
import { resourcesOf } from '../../shared/transport/envelope';
import { falconRequest } from '../../shared/transport/falconRequest';
import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';
import { aggregateSpecs } from './aggregateSpecs';
import { aggregateProperties } from './aggregateProperties';

export const aggregate: FalconOperation = {
	value: 'aggregate',
	name: 'Aggregate',
	action: 'Aggregate sessions',
	description: 'Count sessions by a field (term) or by date ranges, e.g. sessions per platform',
	operationId: 'RTR_AggregateSessions',
	method: 'POST',
	scopes: ['Real time response: Read'],
	path: paths.sessionAggregates,
	properties: aggregateProperties,
	validate: (values) => aggregateSpecs(values).problem,
	idempotent: true,
	async run(itemIndex) {
		const { specs } = aggregateSpecs(readParameters(this, aggregate, itemIndex));
		const { body } = await falconRequest.call(this, {
			method: 'POST',
			path: paths.sessionAggregates,
			// The API takes a bare JSON array, which the engine's field-to-body mapping cannot express.
			body: specs as IDataObject[],
			idempotent: true,
			itemIndex,
		});
		return resourcesOf(body).map((json) => ({ json, pairedItem: { item: itemIndex } }));
	},
};
