import {
	fqlEquals,
	fqlFilterMapping,
	fqlFilterOption,
	fqlQueryMapping,
	fqlNamesFilter,
	fqlString,
	fqlTimestamp,
	sortMapping,
	sortOptionsCollection,
} from '../../shared/descriptions/query';
import { integerBetween } from '../../shared/engine/rules';
import type { FalconOperation } from '../../shared/engine/types';
import { hostPaths } from '../../shared/hosts/paths';
import { hostTag, hostTagsRule } from '../../shared/hosts/tags';
import { containmentStatuses, MAX_HOSTS_PER_DETAILS } from './fields';

const DAY_MS = 24 * 60 * 60 * 1000;

export const getAll: FalconOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many hosts',
	description: 'Find hosts by hostname, IP, platform, containment status, tag, last seen or FQL, with their details',
	operationId: 'QueryDevicesByFilterScroll',
	alsoUses: ['PostDeviceDetailsV2'],
	method: 'GET',
	idempotent: true,
	scopes: ['Hosts: Read'],
	path: hostPaths.scroll,
	properties: [
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'Containment Status',
					name: 'status',
					type: 'options',
					options: containmentStatuses,
					default: 'contained',
				},
				{
					displayName: 'External IP',
					name: 'externalIp',
					type: 'string',
					default: '',
					placeholder: 'e.g. 203.0.113.5',
					description: 'Exact address; several separated by commas',
				},
				fqlFilterOption("product_type_desc:'Server'"),
				{
					displayName: 'Hostname',
					name: 'hostname',
					type: 'string',
					default: '',
					placeholder: 'e.g. WKS-100 or SRV-*',
					description:
						'Exact hostname, or one * at the start or end as a wildcard (SRV-*, *-DC); several separated by commas',
				},
				{
					displayName: 'Last Seen Within (Days)',
					name: 'lastSeenWithinDays',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 3650 },
					default: 7,
					description: 'Only hosts whose sensor reported in during this many days',
				},
				{
					displayName: 'Local IP',
					name: 'localIp',
					type: 'string',
					default: '',
					placeholder: 'e.g. 10.1.2.3 or 10.1.*',
					description: 'Exact address, or one * at the start or end as a wildcard; several separated by commas',
				},
				{
					displayName: 'Platform',
					name: 'platform',
					type: 'options',
					options: [
						{ name: 'Linux', value: 'Linux' },
						{ name: 'Mac', value: 'Mac' },
						{ name: 'Windows', value: 'Windows' },
					],
					default: 'Windows',
				},
				{
					displayName: 'Tag',
					name: 'tag',
					type: 'string',
					default: '',
					placeholder: 'e.g. protected',
					description:
						'A host tag (several separated by commas): a Falcon grouping tag, the FalconGroupingTags/ prefix added when missing, or a sensor grouping tag written SensorGroupingTags/name',
				},
			],
		},
		sortOptionsCollection(
			[
				{ name: 'Hostname (A-Z)', value: 'hostname.asc' },
				{ name: 'Hostname (Z-A)', value: 'hostname.desc' },
				{ name: 'Last Seen (Newest First)', value: 'last_seen.desc' },
				{ name: 'Last Seen (Oldest First)', value: 'last_seen.asc' },
			],
			'hostname.asc',
		),
	],
	parameters: {
		'filters.hostname': fqlNamesFilter('hostname', { pattern: (name) => `hostname:${fqlString(name)}` }),
		'filters.localIp': fqlNamesFilter('local_ip', { pattern: (ip) => `local_ip.raw:*${fqlString(ip)}` }),
		'filters.externalIp': fqlNamesFilter('external_ip'),
		'filters.platform': fqlEquals('platform_name'),
		'filters.status': fqlEquals('status'),
		'filters.tag': fqlNamesFilter('tags', { normalise: hostTag, rules: [hostTagsRule] }),
		'filters.lastSeenWithinDays': {
			...fqlFilterMapping,
			rules: [integerBetween(1, 3650)],
			transform: (days) =>
				days === '' ? undefined : `last_seen:>='${fqlTimestamp(Date.now() - Number(days) * DAY_MS)}'`,
		},
		'filters.query': fqlQueryMapping,
		'options.sort': sortMapping,
	},
	paginate: { maxPageSize: MAX_HOSTS_PER_DETAILS, style: 'scroll' },
	details: {
		operationId: 'PostDeviceDetailsV2',
		path: hostPaths.details,
		method: 'POST',
		chunkSize: MAX_HOSTS_PER_DETAILS,
		idField: 'device_id',
	},
};
