import { containAction, containmentOperation } from './containment';

export const contain = containmentOperation(containAction, {
	value: 'contain',
	name: 'Contain',
	action: 'Contain a host',
	description:
		'Cut the host off the network except for the Falcon cloud (network containment); one item per host with its status before and after',
});
