import type { INodeProperties } from 'n8n-workflow';

import { fqlFilterOption, sortOptionsCollection } from '../../shared/descriptions/query';

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
				description: 'Only sessions created after this time (in the workflow time zone unless the value names one)',
			},
			fqlFilterOption("platform_name:'Windows'"),
			{
				displayName: 'Host ID',
				name: 'hostId',
				type: 'string',
				default: '',
				description: 'Only sessions on this host (32 hexadecimal characters)',
			},
		],
	},
	sortOptionsCollection(
		[
			{ name: 'Created (Newest First)', value: 'date_created|desc' },
			{ name: 'Created (Oldest First)', value: 'date_created|asc' },
		],
		'date_created|desc',
	),
];
