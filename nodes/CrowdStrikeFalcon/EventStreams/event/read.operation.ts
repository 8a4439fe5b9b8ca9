import type { IDataObject } from 'n8n-workflow';

import { eachMatches, integerBetween, notEmpty, numberBetween, toList, type Rule } from '../../shared/engine/rules';
import type { FalconOperation } from '../../shared/engine/types';
import { DISCOVERY_PATH } from '../../shared/stream/discovery';
import { eventTypeOptions, isEventTypeName } from '../../shared/stream/eventTypes';
import { appIdRule } from '../fields';
import { offsetsOutsidePartitions, offsetsProblem } from './offsets';
import { readEvents } from './readEvents';

const eventTypeNames: Rule = (value) => {
	const bad = toList(value).find((type) => !isEventTypeName(type));
	return bad === undefined ? undefined : `each value must be an event type name such as EppDetectionSummaryEvent (got "${bad}")`;
};

export const read: FalconOperation = {
	value: 'read',
	name: 'Read',
	action: 'Read events from the stream',
	description:
		'Read a bounded slice of one or all partitions (from an offset, the latest events, or the oldest retained) and return the events and where to continue',
	operationId: 'listAvailableStreamsOAuth2',
	alsoUses: ['refreshActiveStreamSession'],
	method: 'GET',
	idempotent: true,
	scopes: ['Event streams: Read'],
	path: DISCOVERY_PATH,
	properties: [
		{
			displayName: 'Start From',
			name: 'startFrom',
			type: 'options',
			options: [
				{
					name: 'Latest Events',
					value: 'latest',
					description: 'The last N positions of each partition (waits for one new event to find where each ends); with Event Types, only those of them of these types',
				},
				{ name: 'Offset', value: 'offset', description: 'Replay or continue from given offsets' },
				{ name: 'Oldest Retained Event', value: 'oldest' },
			],
			// Runs as dropped in (Offset needs offsets first), and at once: Latest waits for a new event on each partition.
			default: 'oldest',
		},
		{
			displayName: 'Offsets',
			name: 'offsets',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 120394, 0=120394, 1=88210, or {{ $json.stream.nextOffsets }}',
			description:
				'The first offset to read: one for every partition, partition=offset pairs, or the Next Offsets object of a previous read (stream.nextOffsets of its items, or nextOffsets of its One Summary Item)',
			displayOptions: { show: { startFrom: ['offset'] } },
		},
		{
			displayName: 'Events per Partition',
			name: 'latestCount',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100_000 },
			default: 10,
			description: 'How many of the newest events to read from each partition',
			displayOptions: { show: { startFrom: ['latest'] } },
		},
		{
			displayName: 'Partitions',
			name: 'partitions',
			type: 'string',
			default: '',
			placeholder: 'e.g. 0, 1 (empty: all)',
			description: 'Comma-separated partitions to read; leave empty for all',
		},
		{
			displayName: 'Max Events',
			name: 'maxEvents',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1_000_000 },
			default: 100,
			description: 'Stop after this many events in total',
		},
		{
			displayName: 'Time Limit (Seconds)',
			name: 'timeLimitSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 3_600, numberPrecision: 0 },
			default: 30,
			description: 'Stop after this long, with whatever was read',
		},
		{
			displayName: 'Event Types',
			name: 'eventTypes',
			type: 'multiOptions',
			options: eventTypeOptions,
			default: [],
			description: 'Filtered by Falcon. Leave empty for every type. Retired types are read as their replacement.',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'App ID',
					name: 'appId',
					type: 'string',
					default: '',
					placeholder: 'A new temporary one',
					description:
						'Consumer name for this read (1–32 letters or digits). Leave empty to use a temporary one, so the read never competes with a running trigger. Falcon offers no stream to an App ID for a few minutes after its read closed: with a fixed one, the next item or a run soon after fails with "Nothing was read".',
				},
				{
					displayName: 'Custom Event Types',
					name: 'customEventTypes',
					type: 'string',
					default: '',
					placeholder: 'e.g. MyNewEvent',
					description: 'Comma-separated event types not in the list (exact Falcon spelling)',
				},
				{
					displayName: 'Output',
					name: 'output',
					type: 'options',
					options: [
						{ name: 'One Item per Event', value: 'events' },
						{
							name: 'One Summary Item',
							value: 'summary',
							description: 'The events as a list, with the next offsets and why the read stopped',
						},
					],
					default: 'events',
				},
				{
					displayName: 'Stop When Idle (Seconds)',
					name: 'idleSeconds',
					type: 'number',
					typeOptions: { minValue: 0.1, maxValue: 3_600, numberPrecision: 1 },
					default: 3,
					description: 'Stop when no event arrived for this long (the backlog has been read)',
				},
			],
		},
	],
	parameters: {
		startFrom: { to: 'query' },
		offsets: {
			to: 'query',
			rules: [(value) => offsetsProblem(value)],
			transform: (value, values) => (values.startFrom === 'offset' ? value : undefined),
		},
		latestCount: { to: 'query', rules: [integerBetween(1, 100_000)] },
		partitions: { to: 'query', rules: [eachMatches(/^\d+$/, 'a partition number such as 0')] },
		maxEvents: { to: 'query', rules: [notEmpty, integerBetween(1, 1_000_000)] },
		timeLimitSeconds: { to: 'query', rules: [notEmpty, integerBetween(1, 3_600)] },
		// Lenient, as the trigger's: known types in any case are fixed, and a list can come as text.
		eventTypes: { to: 'query', rules: [eventTypeNames], transform: toList },
		'options.appId': { to: 'query', as: 'appId', rules: [appIdRule] },
		'options.customEventTypes': { to: 'query', as: 'customEventTypes', rules: [eventTypeNames] },
		'options.output': { to: 'query', as: 'output' },
		'options.idleSeconds': { to: 'query', as: 'idleSeconds', rules: [numberBetween(0.1, 3_600)] },
	},
	validate: ({ startFrom, offsets, partitions }: IDataObject) => {
		if (startFrom !== 'offset') return undefined;
		if (offsets === undefined || offsets === '') return '"Offsets" is required when "Start From" is "Offset"';
		return offsetsOutsidePartitions(offsets, partitions);
	},
	run: readEvents,
};
