import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

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

/**
 * Fields the error item of a failed item carries besides the error (Continue On Fail): what a playbook routes on in
 * the operation's own output, e.g. RTR's `host_id` and `status`, so a failed item is told apart like any other.
 */
const facts = new WeakMap<Error, IDataObject>();

export function withFailureFacts<E>(error: E, known: IDataObject): E {
	if (error instanceof Error) facts.set(error, { ...facts.get(error), ...known });
	return error;
}

export function failureFactsOf(error: unknown): IDataObject {
	return error instanceof Error ? (facts.get(error) ?? {}) : {};
}
