import { containmentOperation, liftAction } from './containment';

export const liftContainment = containmentOperation(liftAction, {
	value: 'liftContainment',
	name: 'Lift Containment',
	action: 'Lift containment of a host',
	description: 'Reconnect a contained host to the network; one item per host with its status before and after',
});
