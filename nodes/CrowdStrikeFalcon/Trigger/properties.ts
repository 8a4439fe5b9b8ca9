import type { INodeProperties } from 'n8n-workflow';

import { eventTypeOptions } from '../shared/stream/eventTypes';

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Follows every partition of the Falcon event stream while the workflow is published. Needs the "Event streams: Read" API scope. Position and lag are in each item under "stream".',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Tenants',
		name: 'tenants',
		type: 'options',
		options: [
			{
				name: 'All Child Tenants',
				value: 'allChildren',
				description:
					'Every active child that Flight Control lists for this parent (MSSP) API client, read again periodically',
			},
			{
				name: "Credential's Tenant",
				value: 'credential',
				description: "The credential's API client's own tenant, or its Member CID",
			},
			{
				name: 'Listed Child Tenants',
				value: 'childList',
				description: 'The child CIDs given below, of this parent (MSSP) API client',
			},
		],
		default: 'credential',
		description:
			'Whose event streams to follow. With child tenants each child has its own consumer, token, App ID and stored position, and every item carries the child in "stream.cid" and "stream.childName" (e.g. for an action node\'s Tenant > Member CID). The parent needs the "Flight Control: Read" scope.',
	},
	{
		displayName: 'Child CIDs',
		name: 'childCids',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 0123456789ABCDEF0123456789ABCDEF-A1, FEDCBA9876543210FEDCBA9876543210',
		description: 'Comma-separated child CIDs, as the Falcon console shows them (the -XX checksum may be included)',
		displayOptions: { show: { tenants: ['childList'] } },
	},
	{
		displayName: 'Event Types',
		name: 'eventTypes',
		type: 'multiOptions',
		options: eventTypeOptions,
		default: [],
		description:
			'Filtered by Falcon before anything is sent. Leave empty to receive every type. Retired types are read as their replacement.',
	},
	{
		displayName: 'Custom Event Types',
		name: 'customEventTypes',
		type: 'string',
		default: '',
		placeholder: 'e.g. MyNewEvent, AnotherEvent',
		description: 'Comma-separated event types not in the list above (exact Falcon spelling)',
	},
	{
		displayName: 'Start From',
		name: 'startFrom',
		type: 'options',
		options: [
			{
				name: 'Stored Position',
				value: 'stored',
				description: 'Resume after the last event whose execution finished; on the first run, see "If No Stored Position"',
			},
			{
				name: 'Latest',
				value: 'latest',
				description: 'Skip the backlog once: only events that arrive after the next activation',
			},
			{
				name: 'Offset',
				value: 'offset',
				description: 'Start once at the given offset(s), then follow the stored position',
			},
			{
				name: 'Events Newer Than',
				value: 'newerThan',
				description: 'Start once with events created after a time, then follow the stored position',
			},
		],
		default: 'stored',
		description:
			'Latest, Offset and Events Newer Than apply once, at the first activation after they are set; later restarts resume from the stored position. Test runs in the editor never use or change the stored position.',
	},
	{
		displayName: 'Offsets',
		name: 'startOffsets',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 120394 or 0=120394, 1=88210',
		description:
			'One offset for every partition, or partition=offset pairs (the partitions not named go on from their stored position). The first event read has this offset.',
		displayOptions: { show: { startFrom: ['offset'] } },
	},
	{
		displayName: 'Newer Than',
		name: 'newerThan',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			'Events created before this time (in the workflow time zone unless the value names one) are skipped without starting an execution',
		displayOptions: { show: { startFrom: ['newerThan'] } },
	},
	{
		displayName: 'Delivery',
		name: 'delivery',
		type: 'options',
		options: [
			{ name: 'One Execution per Event', value: 'event' },
			{
				name: 'Batches',
				value: 'batch',
				description: 'One execution with up to "Batch Size" items, for high-volume streams',
			},
		],
		default: 'event',
	},
	{
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10000 },
		default: 100,
		description: 'Most events in one execution',
		displayOptions: { show: { delivery: ['batch'] } },
	},
	{
		displayName: 'Max Wait (Seconds)',
		name: 'batchMaxWaitSeconds',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 5,
		description: 'A batch that is not full is sent this long after its first event arrived',
		displayOptions: { show: { delivery: ['batch'] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Applied in the trigger: a dropped event starts no execution',
		options: [
			{
				displayName: 'Customer IDs',
				name: 'customerIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 0123456789ABCDEF0123456789ABCDEF',
				description: 'Comma-separated CIDs to keep (MSSP parent credentials see events of child CIDs)',
			},
			{
				displayName: 'Host Name Matches',
				name: 'hostnamePattern',
				type: 'string',
				default: '',
				placeholder: 'e.g. ^(fin|hr)-',
				description:
					'Regular expression (case-insensitive) on ComputerName / Hostname. Events without a host name are dropped.',
			},
			{
				displayName: 'Minimum Severity',
				name: 'minSeverity',
				type: 'options',
				options: [
					{ name: 'Critical', value: 'critical' },
					{ name: 'High', value: 'high' },
					{ name: 'Informational', value: 'informational' },
					{ name: 'Low', value: 'low' },
					{ name: 'Medium', value: 'medium' },
				],
				default: 'high',
				description: 'Keep detections at or above this severity. Events without a severity are dropped.',
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
				displayName: 'Alert After Down (Minutes)',
				name: 'alertAfterDownMinutes',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 10,
				description:
					'When the stream has been unable to reconnect for this long, record a failed execution (which runs the error workflow) once per outage (n8n 2.7 and later; older n8n writes it to its log). The trigger keeps retrying. 0 disables it.',
			},
			{
				displayName: 'App ID',
				name: 'appId',
				type: 'string',
				default: '',
				placeholder: 'Derived from the workflow and node',
				description:
					'Name of this consumer in Falcon (1–32 letters or digits). Only one consumer may use an App ID at a time. Leave empty to derive one from the workflow and node.',
			},
			{
				displayName: 'Child List Refresh (Minutes)',
				name: 'childListRefreshMinutes',
				type: 'number',
				displayOptions: { show: { '/tenants': ['allChildren', 'childList'] } },
				typeOptions: { minValue: 0.01, numberPrecision: 2 },
				default: 15,
				description:
					'With child tenants: how often Flight Control is read again, to follow new children, stop following removed ones and pick up new names',
			},
			{
				displayName: 'Give Up After No Streams (Minutes)',
				name: 'emptyDiscoveryLimitMinutes',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 10,
				description:
					'Falcon offers no stream while another consumer holds the App ID. After this long the trigger reports a configuration error (n8n deactivates it and retries activation later; a child tenant is retried on its own instead). 0 gives up at the first discovery that offers none.',
			},
			{
				displayName: 'If No Stored Position',
				name: 'whenNothingStored',
				type: 'options',
				options: [
					{ name: 'Start With New Events', value: 'latest' },
					{ name: 'Start With the Oldest Retained Event', value: 'oldest' },
				],
				default: 'latest',
				description:
					'Where "Stored Position" starts the very first time (a partition with nothing stored). New events: a partition that has had no event yet is read from its oldest event after a reconnect or restart, dropping events from before the first start, so nothing that arrives while n8n is down is skipped.',
			},
			{
				displayName: 'Max Executions in Flight',
				name: 'maxInFlight',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 5,
				description:
					'Executions started and not finished, at most, per tenant followed. When reached, the trigger stops reading that tenant until one finishes. A restart repeats up to this many executions per tenant when "Skip Repeated Executions" is off.',
			},
			{
				displayName: 'Reconnect Delay (Seconds)',
				name: 'reconnectDelaySeconds',
				type: 'number',
				typeOptions: { minValue: 0.01, numberPrecision: 2 },
				default: 1,
				description: 'First wait before reconnecting; doubles with each failure (with jitter) up to the maximum',
			},
			{
				displayName: 'Reconnect Max Delay (Seconds)',
				name: 'reconnectMaxDelaySeconds',
				type: 'number',
				typeOptions: { minValue: 0.01, numberPrecision: 2 },
				default: 60,
				description:
					'Longest wait between reconnects. A partition that discovery leaves out is asked for again after this long (the other partitions reconnect with it), then after 2, 4, 8 and 16 times as long; still left out at the fifth time, it is taken for gone until a discovery offers it again.',
			},
			{
				displayName: 'Silence Watchdog (Seconds)',
				name: 'watchdogSeconds',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 120,
				description:
					'Reconnect when the feed sends nothing at all (not even a keep-alive) for this long. 0 disables it.',
			},
			{
				displayName: 'Skip Repeated Executions',
				name: 'deduplicate',
				type: 'boolean',
				default: true,
				description:
					'Whether to give each execution a key made of its offsets, so after a restart n8n skips events it already ran instead of running them again (n8n 2.20 and later; older n8n ignores the key). A key lasts as long as n8n keeps the execution; an execution that crashed is not run again either (retry it from the execution list). Off: a restart may repeat up to "Max Executions in Flight" executions.',
			},
		],
	},
];
