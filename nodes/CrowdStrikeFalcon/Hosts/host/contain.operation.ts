import type { IDataObject } from 'n8n-workflow';

import type { FalconOperation } from '../../shared/engine/types';
import { hostLocatorField, hostLocatorMapping } from '../../shared/hosts/locator';
import { hostPaths } from '../../shared/hosts/paths';
import { containAction, containmentOptions, containmentProblem, runContainment } from './containment';

export const contain: FalconOperation = {
	value: 'contain',
	name: 'Contain',
	action: 'Contain a host',
	description:
		'Cut the host off the network except for the Falcon cloud (network containment); one item per host with its status before and after',
	operationId: 'PerformActionV2',
	alsoUses: ['PostDeviceDetailsV2'],
	method: 'POST',
	idempotent: false,
	scopes: ['Hosts: Read', 'Hosts: Write'],
	path: hostPaths.action,
	properties: [hostLocatorField(), containmentOptions(containAction)],
	parameters: { hostId: hostLocatorMapping('body', 'ids') },
	validate: (values) => containmentProblem(values.options as IDataObject),
	changesHosts: true,
	runForAllItems: runContainment(containAction),
};
