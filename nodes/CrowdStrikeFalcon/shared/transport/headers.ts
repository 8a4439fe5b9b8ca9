import type { IDataObject } from 'n8n-workflow';

/** Header names are case-insensitive; Falcon's arrive in several casings (`X-Cs-Region`, `X-CS-TRACEID`). */
export function lowerCaseHeaders(headers: IDataObject | undefined): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (value !== undefined && value !== null) result[key.toLowerCase()] = String(value);
	}
	return result;
}
