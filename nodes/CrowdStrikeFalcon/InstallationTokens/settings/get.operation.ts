import type { FalconOperation } from '../../shared/engine/types';
import { paths } from '../paths';

export const get: FalconOperation = {
	value: 'get',
	name: 'Get',
	action: 'Get installation token settings',
	description: 'Whether tokens are required to install sensors, and the cap on active tokens',
	operationId: 'customer_settings_read',
	method: 'GET',
	idempotent: true,
	scopes: ['Installation tokens: Read'],
	path: paths.settings,
	properties: [],
};
