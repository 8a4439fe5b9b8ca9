import type { IDataObject, ITriggerFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BackoffPolicy } from '../shared/stream/backoff';
import { appIdProblem, derivedAppId, testAppId } from '../shared/stream/appId';
import { isEventTypeName, resolveEventTypes } from '../shared/stream/eventTypes';
import { epochMs, inTimeZone } from '../shared/engine/dateTime';
import { parseOffsetList } from '../shared/stream/offsetList';
import type { ClientFilters, SeverityName } from '../shared/stream/filters';
import { asBoolean, invalidChoiceOrSwitch } from '../shared/engine/parameters';
import { numberGiven } from '../shared/engine/rules';
import { operationError } from '../shared/transport/failures';
import { normaliseCid } from '../shared/transport/memberCid';
import { triggerProperties } from './properties';
import { readTenantSelection, type TenantSelection } from './tenantSelection';

export type StartSetting =
	| { kind: 'stored' }
	| { kind: 'latest' }
	| { kind: 'offset'; all?: number; byPartition: Map<number, number> }
	/** `setAs`: the clock-reading expression the time came from, if any: what names the setting (see startFingerprint). */
	| { kind: 'newerThan'; afterMs: number; setAs?: string };

export interface TriggerSettings {
	appId: string;
	eventTypes: string[];
	warnings: string[];
	start: StartSetting;
	whenNothingStored: 'latest' | 'oldest';
	batchSize: number;
	maxWaitMs: number;
	maxInFlight: number;
	filters: ClientFilters;
	watchdogMs: number;
	backoff: BackoffPolicy;
	emptyDiscoveryLimitMs: number;
	alertAfterDownMs: number;
	deduplicate: boolean;
	tenants: TenantSelection;
}

/** Reads and checks every parameter up front, so a bad value fails the activation with a message naming it. */
export function readSettings(context: ITriggerFunctions, manual: boolean): TriggerSettings {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const filters = context.getNodeParameter('filters', {}) as IDataObject;
	const invalid = (field: string, problem: string) =>
		operationError(context.getNode(), `Invalid "${field}": ${problem}`);
	const given: IDataObject = {};
	for (const property of triggerProperties) {
		given[property.name] = context.getNodeParameter(property.name, property.default) as IDataObject[string];
	}
	// Event types have checks of their own (retired names are mapped, custom ones allowed).
	const unchosen = invalidChoiceOrSwitch(triggerProperties, given, (key) => key === 'eventTypes');
	if (unchosen) throw invalid(unchosen.label, unchosen.problem);

	const configuredAppId = String(options.appId ?? '').trim();
	if (configuredAppId) {
		const problem = appIdProblem(configuredAppId);
		if (problem) throw invalid('App ID', problem);
	}
	const activeAppId = configuredAppId || derivedAppId(context.getWorkflow().id, context.getNode().id);

	const customEventTypes = context.getNodeParameter('customEventTypes', '');
	const { eventTypes, warnings } = resolveEventTypes(context.getNodeParameter('eventTypes', []), customEventTypes);
	const badType = eventTypes.find((type) => !isEventTypeName(type));
	if (badType) {
		const field = String(customEventTypes).includes(badType) ? 'Custom Event Types' : 'Event Types';
		throw invalid(field, `"${badType}" is not an event type name`);
	}

	const tenantsMode = context.getNodeParameter('tenants', 'credential');
	const tenants = readTenantSelection(
		tenantsMode,
		tenantsMode === 'childList' ? context.getNodeParameter('childCids', '') : undefined,
		options,
		invalid,
	);

	const batch = context.getNodeParameter('delivery', 'event') === 'batch';
	return {
		appId: manual ? testAppId(activeAppId) : activeAppId,
		eventTypes,
		warnings,
		start: readStart(context, invalid),
		whenNothingStored: options.whenNothingStored === 'oldest' ? 'oldest' : 'latest',
		batchSize: batch ? positive(context.getNodeParameter('batchSize', 100), 'Batch Size', invalid, 10_000) : 1,
		maxWaitMs: batch ? seconds(context.getNodeParameter('batchMaxWaitSeconds', 5), 'Max Wait', invalid) : 0,
		maxInFlight: positive(options.maxInFlight ?? 5, 'Max Executions in Flight', invalid, 100),
		filters: readFilters(filters, invalid),
		watchdogMs: seconds(options.watchdogSeconds ?? 120, 'Silence Watchdog', invalid),
		backoff: {
			// Zero from an expression would reconnect (and retry Flight Control) in a tight loop.
			initialMs: seconds(options.reconnectDelaySeconds ?? 1, 'Reconnect Delay', invalid, MIN_RECONNECT_SECONDS),
			maxMs: seconds(options.reconnectMaxDelaySeconds ?? 60, 'Reconnect Max Delay', invalid, MIN_RECONNECT_SECONDS),
		},
		emptyDiscoveryLimitMs: 60 * seconds(options.emptyDiscoveryLimitMinutes ?? 10, 'Give Up After No Streams', invalid),
		alertAfterDownMs: 60 * seconds(options.alertAfterDownMinutes ?? 10, 'Alert After Down', invalid),
		deduplicate: asBoolean(options.deduplicate) !== false,
		tenants,
	};
}

/** A stable name for an explicit start position, so it is applied once and not again on every restart. */
export function startFingerprint(start: StartSetting): string | undefined {
	switch (start.kind) {
		case 'latest':
			return 'latest';
		case 'offset':
			return `offset:${start.all ?? ''}:${[...start.byPartition].map(([p, o]) => `${p}=${o}`).join(',')}`;
		case 'newerThan':
			return `newerThan:${start.setAs ?? start.afterMs}`;
		default:
			return undefined;
	}
}

type Invalid = (field: string, problem: string) => NodeOperationError;

function readStart(context: ITriggerFunctions, invalid: Invalid): StartSetting {
	const startFrom = context.getNodeParameter('startFrom', 'stored') as string;
	if (startFrom === 'latest') return { kind: 'latest' };
	if (startFrom === 'newerThan') {
		const raw = context.getNodeParameter('newerThan', '') as string;
		const afterMs = epochMs(inTimeZone(raw, context.getTimezone()));
		if (!raw || Number.isNaN(afterMs)) throw invalid('Newer Than', `must be a date and time (got "${raw}")`);
		// An expression that reads the clock gives another time at every activation: the expression is the setting.
		// One that reads anything else ({{ $vars.replayFrom }}) is set anew when its value changes.
		const setAs = context.getNodeParameter('newerThan', '', { rawExpressions: true });
		const readsClock = typeof setAs === 'string' && setAs.startsWith('=') && /\$now|\$today|Date\.now|new Date\b/.test(setAs);
		return { kind: 'newerThan', afterMs, ...(readsClock ? { setAs } : {}) };
	}
	if (startFrom === 'offset') return parseOffsets(String(context.getNodeParameter('startOffsets', '')), invalid);
	return { kind: 'stored' };
}

/** `120394` for every partition, or `0=120394, 1=88210`. */
export function parseOffsets(raw: string, invalid: Invalid): StartSetting {
	const parsed = parseOffsetList(raw);
	if (typeof parsed === 'string') throw invalid('Offsets', parsed);
	return { kind: 'offset', ...parsed };
}

function readFilters(filters: IDataObject, invalid: Invalid): ClientFilters {
	const result: ClientFilters = {};
	if (filters.minSeverity) result.minSeverity = filters.minSeverity as SeverityName;
	const pattern = String(filters.hostnamePattern ?? '').trim();
	if (pattern) {
		try {
			result.hostname = new RegExp(pattern, 'i');
		} catch (error) {
			throw invalid('Host Name Matches', (error as Error).message);
		}
	}
	const cids = String(filters.customerIds ?? '')
		.split(/[\s,;]+/)
		.filter(Boolean);
	// As the console shows them (upper case, `-XX` checksum) or as events carry them: compared as events carry them.
	const normalised = cids.map((cid) => {
		const wanted = normaliseCid(cid);
		if (!wanted) throw invalid('Customer IDs', `each value must be a CID: 32 hexadecimal characters, optionally with its -XX checksum (got "${cid}")`);
		return wanted;
	});
	if (normalised.length > 0) result.customerIds = normalised;
	return result;
}

function positive(value: unknown, field: string, invalid: Invalid, most: number): number {
	const number = numberGiven(value);
	if (!Number.isInteger(number) || number < 1 || number > most) {
		throw invalid(field, `must be a whole number from 1 to ${most} (got ${JSON.stringify(value)})`);
	}
	return number;
}

/** The reconnect delays' smallest value, as their fields allow in the editor. */
const MIN_RECONNECT_SECONDS = 0.01;

function seconds(value: unknown, field: string, invalid: Invalid, atLeast = 0): number {
	// A number field emptied in the editor holds null: no wait, as it always read.
	const number = value === null || value === '' ? 0 : numberGiven(value);
	if (!Number.isFinite(number) || number < atLeast) {
		throw invalid(field, `must be ${atLeast === 0 ? 'zero' : atLeast} or more (got ${JSON.stringify(value)})`);
	}
	return Math.round(number * 1000);
}
