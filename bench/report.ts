/* eslint-disable no-console */
export interface Measurement {
	benchmark: string;
	metric: string;
	value: number;
	note?: string;
}

const measurements: Measurement[] = [];

export function record(benchmark: string, metric: string, value: number, note?: string): void {
	measurements.push({ benchmark, metric, value: Number(value.toFixed(4)), note });
}

/** Prints every measurement of the run as one table, so ratios are read side by side. */
export function printReport(title: string): void {
	console.log(
		[`\n${title}`, ...measurements.map((m) => `  ${m.benchmark.padEnd(28)} ${m.metric.padEnd(34)} ${String(m.value).padStart(12)}  ${m.note ?? ''}`)].join('\n'),
	);
}
