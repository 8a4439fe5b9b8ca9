import type { INodeProperties } from 'n8n-workflow';

/** Filters and sort of Session > Get Many. */
export const getAllProperties: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Active Only',
				name: 'activeOnly',
				type: 'boolean',
				default: true,
				description: 'Whether to leave out sessions that were deleted or expired',
			},
			{
				displayName: 'Created After',
				name: 'createdAfter',
				type: 'dateTime',
				default: '',
			},
			{
				displayName: 'FQL Filter',
				name: 'query',
				type: 'string',
				default: '',
				placeholder: "platform_name:'Windows'",
				description: 'Falcon Query Language expression, combined with the other filters by AND (+)',
			},
			{
				displayName: 'Host ID',
				name: 'hostId',
				type: 'string',
				default: '',
				description: 'Only sessions on this host (32 hexadecimal characters)',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Sort',
				name: 'sort',
				type: 'options',
				options: [
					{ name: 'Created (Newest First)', value: 'date_created|desc' },
					{ name: 'Created (Oldest First)', value: 'date_created|asc' },
				],
				default: 'date_created|desc',
			},
		],
	},
];
