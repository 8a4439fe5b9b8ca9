/** Id lists are split so a query string stays far below the ~18 kB URLs Falcon and proxies accept. */
export const DEFAULT_IDS_PER_REQUEST = 100;

export function chunk<T>(values: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let start = 0; start < values.length; start += size) chunks.push(values.slice(start, start + size));
	return chunks;
}
