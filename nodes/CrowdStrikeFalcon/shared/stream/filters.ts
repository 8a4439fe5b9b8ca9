import type { IDataObject } from 'n8n-workflow';

import type { StreamEvent } from './events';

export const SEVERITY_NAMES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

/** Filters applied in the trigger, before an execution exists: a dropped event costs no execution. */
export interface ClientFilters {
	/** Keep only events whose severity is at least this. Events without a severity are dropped. */
	minSeverity?: SeverityName;
	/** Keep only events whose host name matches (case-insensitive). Events without a host name are dropped. */
	hostname?: RegExp;
	/** Keep only events of these customer ids (MSSP parents reading children). */
	customerIds?: string[];
}

/** Why an event was dropped, or undefined when it passes. */
export function rejectionOf(event: StreamEvent, filters: ClientFilters): string | undefined {
	if (filters.customerIds && filters.customerIds.length > 0) {
		const cid = String(event.metadata.customerIDString ?? '').toLowerCase();
		if (!filters.customerIds.some((wanted) => wanted.toLowerCase() === cid)) return 'other customer id';
	}
	if (filters.minSeverity) {
		const rank = severityRank(event.event);
		if (rank === undefined || rank < SEVERITY_NAMES.indexOf(filters.minSeverity)) return 'below the minimum severity';
	}
	if (filters.hostname) {
		const host = hostnameOf(event.event);
		if (host === undefined || !filters.hostname.test(host)) return 'host name does not match';
	}
	return undefined;
}

/**
 * 0 (informational) to 4 (critical). `SeverityName` is the reliable field; a bare number is read on Falcon's two
 * scales: 1–5 (detection summaries) or 0–100 (EPP/alerts, where 20/40/60/80 start low/medium/high/critical).
 */
export function severityRank(event: IDataObject | undefined): number | undefined {
	if (!event) return undefined;
	const name = String(event.SeverityName ?? event.severity_name ?? '').toLowerCase();
	const named = SEVERITY_NAMES.indexOf(name as SeverityName);
	if (named !== -1) return named;
	const value = Number(event.Severity ?? event.severity);
	if (!Number.isFinite(value) || value <= 0) return undefined;
	if (value <= 5) return Math.round(value) - 1;
	return Math.min(4, Math.floor(value / 20));
}

function hostnameOf(event: IDataObject | undefined): string | undefined {
	if (!event) return undefined;
	for (const key of ['ComputerName', 'Hostname', 'HostnameField', 'DeviceName', 'HostName']) {
		if (typeof event[key] === 'string' && event[key] !== '') return event[key] as string;
	}
	return undefined;
}
