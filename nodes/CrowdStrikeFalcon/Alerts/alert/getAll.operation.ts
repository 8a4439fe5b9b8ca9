import {
	fqlEquals,
	fqlFilterMapping,
	fqlFilterOption,
	fqlNamesFilter,
	fqlQueryMapping,
	fqlString,
	fqlTimestamp,
	inBody,
	sortMapping,
	sortOptionsCollection,
} from '../../shared/descriptions/query';
import { compareInstants } from '../../shared/engine/dateTime';
import { dateTime, integerBetween, toList } from '../../shared/engine/rules';
import type { FalconOperation } from '../../shared/engine/types';
import { HOST_ID_PATTERN } from '../../shared/hosts/locator';
import { alertPaths } from '../paths';
import { alertStatuses, alertStatusRule, MAX_ALERTS_PER_CALL } from './fields';

const SEVERITY_NAMES = ['Critical', 'High', 'Medium', 'Low', 'Informational'];

export const getAll: FalconOperation = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many alerts',
	description: 'Find alerts by status, severity, product, host, time or FQL, with their details',
	// Full alerts a page at a time, paged by an `after` token: GetQueriesAlertsV2 reaches only its first 10,000
	// results (a 500 at offset 10,000, psfalcon#423; a 400 past it, falconpy#532); this query has no such ceiling.
	operationId: 'PostCombinedAlertsV1',
	method: 'POST',
	// A read sent as POST: safe to repeat.
	idempotent: true,
	scopes: ['Alerts: Read'],
	path: alertPaths.combined,
	properties: [
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'Created After',
					name: 'createdAfter',
					type: 'dateTime',
					default: '',
					description: 'Only alerts created after this time (in the workflow time zone unless the value names one)',
				},
				fqlFilterOption("tactic:'Credential Access'"),
				{
					displayName: 'Host ID',
					name: 'hostId',
					type: 'string',
					default: '',
					placeholder: 'e.g. 4f1c6a2b9d3e4f5a8b7c6d5e4f3a2b1c',
					description: 'Only alerts of this host (agent_id)',
				},
				{
					displayName: 'Hostname',
					name: 'hostname',
					type: 'string',
					default: '',
					placeholder: 'e.g. WKS-100',
					description:
						"Only alerts of hosts with this exact name (the alert's device.hostname); several separated by commas",
				},
				{
					displayName: 'Minimum Severity (1-100)',
					name: 'minSeverity',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 100 },
					default: 60,
					description:
						'Only alerts at least this severe. Falcon names 1-19 Informational, 20-39 Low, 40-59 Medium, 60-79 High, 80-100 Critical.',
				},
				{
					displayName: 'Product',
					name: 'product',
					type: 'options',
					options: [
						{ name: 'Cloud Security', value: 'cwpp' },
						{ name: 'Data Protection', value: 'data-protection' },
						{ name: 'Endpoint (EPP)', value: 'epp' },
						{ name: 'Falcon XDR', value: 'xdr' },
						{ name: 'Identity (IDP)', value: 'idp' },
						{ name: 'Mobile', value: 'mobile' },
						{ name: 'Next-Gen SIEM', value: 'ngsiem' },
						{ name: 'OverWatch', value: 'overwatch' },
						{ name: 'Third Party', value: 'thirdparty' },
					],
					default: 'epp',
				},
				{
					displayName: 'Severity',
					name: 'severityNames',
					type: 'multiOptions',
					options: SEVERITY_NAMES.map((name) => ({ name, value: name })),
					default: [],
					description: 'Only alerts with one of these severities',
				},
				{
					displayName: 'Status',
					name: 'status',
					type: 'options',
					options: alertStatuses,
					default: 'new',
				},
			],
		},
		sortOptionsCollection(
			[
				{ name: 'Created (Newest First)', value: 'created_timestamp|desc' },
				{ name: 'Created (Oldest First)', value: 'created_timestamp|asc' },
				{
					name: 'Severity (Highest First)',
					value: 'severity|desc',
					description: 'With a Limit above 1000, an alert whose severity changes while the pages are read can be missed',
				},
				{
					name: 'Updated (Newest First)',
					value: 'updated_timestamp|desc',
					description: 'With a Limit above 1000, an alert updated while the pages are read can be missed (Return All reads every alert)',
				},
			],
			'created_timestamp|desc',
		),
	],
	// A POST query: filter and sort travel in the body.
	parameters: inBody({
		'filters.status': fqlEquals('status', [alertStatusRule]),
		'filters.severityNames': {
			...fqlFilterMapping,
			transform: (names) => {
				const list = toList(names);
				return list.length === 0 ? undefined : `severity_name:[${list.map(fqlString).join(',')}]`;
			},
		},
		'filters.minSeverity': {
			...fqlFilterMapping,
			rules: [integerBetween(1, 100)],
			transform: (value) => (value === '' ? undefined : `severity:>=${Number(value)}`),
		},
		'filters.product': fqlEquals('product'),
		'filters.hostId': {
			...fqlFilterMapping,
			rules: [
				(value) =>
					value === undefined || value === '' || HOST_ID_PATTERN.test(String(value).trim())
						? undefined
						: `must be a host ID (AID) of 32 hexadecimal characters (got ${JSON.stringify(value)})`,
			],
			transform: (value) => {
				const aid = String(value).trim().toLowerCase();
				return aid === '' ? undefined : `agent_id:${fqlString(aid)}`;
			},
		},
		'filters.hostname': fqlNamesFilter('device.hostname'),
		'filters.createdAfter': {
			...fqlFilterMapping,
			rules: [dateTime],
			// FQL takes whole seconds: from the second of the time given, so that an alert later in that second is found
			// whether Falcon compares to the second or finer, then only those after the very time given (not the alert a
			// poll took its Created After from, again on every poll).
			transform: (value) => (value === '' ? undefined : `created_timestamp:>='${fqlTimestamp(value)}'`),
			refine: (value) =>
				value === '' ? undefined : (alert) => !(compareInstants(alert.created_timestamp, value) <= 0),
		},
		'filters.query': fqlQueryMapping,
		'options.sort': sortMapping,
	}),
	paginate: { maxPageSize: MAX_ALERTS_PER_CALL, style: 'after', idField: 'composite_id', steadySort: 'created_timestamp|desc' },
};
