import type { INodeProperties } from 'n8n-workflow';

const byFields = { show: { define: ['fields'] } };

export const aggregateProperties: INodeProperties[] = [
	{
		displayName: 'Define',
		name: 'define',
		type: 'options',
		options: [
			{ name: 'Using Fields Below', value: 'fields' },
			{ name: 'Using JSON', value: 'json', description: 'Any aggregate specs the API accepts' },
		],
		default: 'fields',
	},
	{
		displayName: 'Type',
		name: 'aggregationType',
		type: 'options',
		options: [
			{ name: 'Term (Count per Value)', value: 'term' },
			{ name: 'Date Range', value: 'date_range' },
		],
		default: 'term',
		displayOptions: byFields,
	},
	{
		displayName: 'Field',
		name: 'field',
		type: 'string',
		default: 'platform_name',
		placeholder: 'e.g. platform_name, hostname, created_at',
		description: 'Session field to aggregate on',
		displayOptions: byFields,
	},
	{
		displayName: 'Name',
		name: 'aggregationName',
		type: 'string',
		default: '',
		description: 'Name of the result; defaults to the field',
		displayOptions: byFields,
	},
	{
		displayName: 'FQL Filter',
		name: 'filter',
		type: 'string',
		default: '',
		placeholder: "e.g. deleted_at:null",
		description: 'Only count sessions matching this Falcon Query Language expression',
		displayOptions: byFields,
	},
	{
		displayName: 'Size',
		name: 'size',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10,
		description: 'How many of the most frequent values to return',
		displayOptions: { show: { define: ['fields'], aggregationType: ['term'] } },
	},
	{
		displayName: 'Date Ranges',
		name: 'dateRanges',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Range',
		default: {},
		displayOptions: { show: { define: ['fields'], aggregationType: ['date_range'] } },
		options: [
			{
				displayName: 'Range',
				name: 'range',
				values: [
					{ displayName: 'From', name: 'from', type: 'string', default: 'now-7d', description: 'Start, e.g. now-7d or 2026-01-01' },
					{ displayName: 'To', name: 'to', type: 'string', default: 'now', description: 'End, e.g. now' },
				],
			},
		],
	},
	{
		displayName: 'Aggregations (JSON)',
		name: 'aggregationsJson',
		type: 'json',
		default: '[\n  { "name": "by_platform", "type": "term", "field": "platform_name", "size": 10 }\n]',
		description: 'An aggregate spec or a list of them (name, type, field, filter, size, date_ranges, sub_aggregates …)',
		displayOptions: { show: { define: ['json'] } },
	},
];
