import type { INodeExecutionData } from 'n8n-workflow';

/**
 * Items an operation had already produced when it failed (the hosts found before "not found" for the others): with
 * Continue On Fail they go out beside the error item instead of being lost with it.
 */
const produced = new WeakMap<Error, INodeExecutionData[]>();

export function withPartialOutput<E extends Error>(error: E, items: INodeExecutionData[]): E {
	produced.set(error, items);
	return error;
}

export function partialOutputOf(error: unknown): INodeExecutionData[] {
	return error instanceof Error ? (produced.get(error) ?? []) : [];
}
