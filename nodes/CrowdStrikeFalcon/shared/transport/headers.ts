import type { IDataObject } from 'n8n-workflow';

/** Header names are case-insensitive; Falcon's arrive in several casings (`X-Cs-Region`, `X-CS-TRACEID`). */
export function lowerCaseHeaders(headers: IDataObject | undefined): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (value !== undefined && value !== null) result[key.toLowerCase()] = String(value);
	}
	return result;
}

/**
 * How far Falcon's clock is ahead of this server's (ms, negative when behind), from an answer's `Date` header and
 * the time it came; undefined without a readable header. Good to the second the header is rounded to: Falcon's
 * timestamps (events' creation, sessions' `created_at`) are on its clock, which may be minutes off this server's.
 */
export function falconClockAheadMs(headers: Record<string, string>, receivedAt = Date.now()): number | undefined {
	const falconNow = Date.parse(headers.date ?? '');
	// The header drops the milliseconds: Falcon's time was anywhere in that second, on average half-way through it.
	return Number.isFinite(falconNow) ? falconNow + 500 - receivedAt : undefined;
}
