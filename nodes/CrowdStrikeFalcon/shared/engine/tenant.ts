import type { INodeProperties } from 'n8n-workflow';

import { MEMBER_CID_OPTION, TENANT_COLLECTION } from '../transport/memberCid';

/**
 * The node-level MSSP option every action node gets after its operation fields. A collection keeps it out of the
 * way of the many users with one tenant; the transport reads it for every request of the item, so operations,
 * flows and look-ups all act on the same child.
 */
export const tenantField: INodeProperties = {
	displayName: 'Tenant',
	name: TENANT_COLLECTION,
	type: 'collection',
	placeholder: 'Add Tenant Option',
	default: {},
	description: 'MSSP (Flight Control) parent API clients: the child tenant this node acts on',
	options: [
		{
			displayName: 'Member CID',
			name: MEMBER_CID_OPTION,
			type: 'string',
			default: '',
			placeholder: 'e.g. {{ $json.cid }} or 0123456789abcdef0123456789abcdef',
			description:
				"Child CID to act on, per item (e.g. the cid of the event that started the workflow). Empty: the credential's own Member CID, or the parent. The token for each child is minted and reused by the node.",
		},
	],
};
