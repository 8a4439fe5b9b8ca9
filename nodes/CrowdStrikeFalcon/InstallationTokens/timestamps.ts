export function isoTimestamp(value: unknown): string {
	return new Date(typeof value === 'number' ? value : String(value)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
