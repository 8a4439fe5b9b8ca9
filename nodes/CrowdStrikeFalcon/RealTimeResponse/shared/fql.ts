/** Quotes a value for an FQL expression; single quotes inside the value are escaped as Falcon expects. */
export function fqlString(value: unknown): string {
	return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function isoTimestamp(value: unknown): string {
	return new Date(String(value)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
