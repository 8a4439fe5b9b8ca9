import type { IDataObject } from 'n8n-workflow';

import type { FalconOperation } from '../../shared/engine/types';
import { hostLocatorField, hostLocatorMapping } from '../../shared/hosts/locator';
import { hostPaths } from '../../shared/hosts/paths';
import { containmentOptions, containmentProblem, liftAction, runContainment } from './containment';

export const liftContainment: FalconOperation = {
	value: 'liftContainment',
	name: 'Lift Containment',
	action: 'Lift containment of a host',
	description: 'Reconnect a contained host to the network; one item per host with its status before and after',
	operationId: 'PerformActionV2',
	alsoUses: ['PostDeviceDetailsV2'],
	method: 'POST',
	idempotent: false,
	scopes: ['Hosts: Read', 'Hosts: Write'],
	path: hostPaths.action,
	properties: [hostLocatorField(), containmentOptions(liftAction)],
	parameters: { hostId: hostLocatorMapping('body', 'ids') },
	validate: (values) => containmentProblem(values.options as IDataObject),
	changesHosts: true,
	runForAllItems: runContainment(liftAction),
};
