import { toList } from '../engine/rules';

/**
 * Event types the feed is known to carry, as data: the list changes with Falcon releases, and a new type must be
 * a one-line change here (users can always type a custom one).
 */
export interface KnownEventType {
	value: string;
	name: string;
	/** Set when Falcon retired the type: what to ask for instead. */
	replacedBy?: string;
	/** When Falcon stopped sending it, for the warning. */
	retired?: string;
}

export const KNOWN_EVENT_TYPES: KnownEventType[] = [
	{ value: 'EppDetectionSummaryEvent', name: 'Endpoint Detection Summary' },
	{ value: 'XdrDetectionSummaryEvent', name: 'XDR Detection Summary' },
	{ value: 'IdpDetectionSummaryEvent', name: 'Identity Protection Detection Summary' },
	{ value: 'MobileDetectionSummaryEvent', name: 'Mobile Detection Summary' },
	{ value: 'DataProtectionDetectionSummaryEvent', name: 'Data Protection Detection Summary' },
	{ value: 'IncidentSummaryEvent', name: 'Incident Summary' },
	{ value: 'AuthActivityAuditEvent', name: 'Authentication Activity Audit' },
	{ value: 'UserActivityAuditEvent', name: 'User Activity Audit' },
	{ value: 'RemoteResponseSessionStartEvent', name: 'Real Time Response Session Start' },
	{ value: 'RemoteResponseSessionEndEvent', name: 'Real Time Response Session End' },
	{ value: 'FirewallMatchEvent', name: 'Firewall Match' },
	{ value: 'CustomerIOCEvent', name: 'Custom IOC' },
	{ value: 'ReconNotificationSummaryEvent', name: 'Recon Notification Summary' },
	{ value: 'IdentityProtectionEvent', name: 'Identity Protection' },
	{ value: 'CSPMIOAStreamingEvent', name: 'Cloud Security IOA' },
	{ value: 'CSPMSearchStreamingEvent', name: 'Cloud Security Search' },
	{ value: 'ScheduledReportNotificationEvent', name: 'Scheduled Report Notification' },
	{
		value: 'DetectionSummaryEvent',
		name: 'Detection Summary (Deprecated: Use Endpoint Detection Summary)',
		replacedBy: 'EppDetectionSummaryEvent',
		retired: '2025-09-30',
	},
];

export interface ResolvedEventTypes {
	/** What to send as `eventType` (empty: every type). */
	eventTypes: string[];
	/** One sentence per deprecated type that was swapped, for the log and the output. */
	warnings: string[];
}

/**
 * Merges the picked and custom types, swaps retired ones for their replacement, and drops duplicates. Each is a
 * list, or text listing them (what an expression gives: a picked type as text is one type, not its letters).
 */
export function resolveEventTypes(picked: unknown, custom: unknown): ResolvedEventTypes {
	const warnings: string[] = [];
	const wanted = new Set<string>();
	for (const type of [...toList(picked), ...toList(custom)]) {
		const known = KNOWN_EVENT_TYPES.find((candidate) => candidate.value.toLowerCase() === type.toLowerCase());
		if (known?.replacedBy) {
			warnings.push(
				`${known.value} was retired by CrowdStrike on ${known.retired}; reading ${known.replacedBy} instead`,
			);
			wanted.add(known.replacedBy);
			continue;
		}
		// Falcon matches event types case-sensitively; fix the casing of known ones (a typo costs silent nothing).
		wanted.add(known?.value ?? type);
	}
	return { eventTypes: [...wanted], warnings };
}

/** What Falcon names an event type: letters, digits and underscores (anything else is a typo, not a type). */
export function isEventTypeName(type: string): boolean {
	return /^[A-Za-z0-9_]+$/.test(type);
}

/** The picker's choices in alphabetical order, as n8n lists options (eighteen to scan for the one wanted). */
export const eventTypeOptions = KNOWN_EVENT_TYPES.map(({ name, value }) => ({ name, value })).sort((a, b) => a.name.localeCompare(b.name));
