import type { IDataObject } from 'n8n-workflow';

export interface ExecutionData {
	resultData: {
		runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: IDataObject }>> } }>>;
		error?: IDataObject;
	};
}

/** n8n keeps execution data in the "flatted" format: strings and objects are entries referenced by index. */
export function unflattenExecution(text: string): ExecutionData {
	const entries = JSON.parse(text) as unknown[];
	const seen = new Set<object>();
	const revive = (node: Record<string, unknown>) => {
		for (const key of Object.keys(node)) {
			const reference = node[key];
			if (typeof reference !== 'string') continue;
			const target = entries[Number(reference)];
			node[key] = target;
			if (target && typeof target === 'object' && !seen.has(target)) {
				seen.add(target);
				revive(target as Record<string, unknown>);
			}
		}
	};
	const root = entries[0] as Record<string, unknown>;
	seen.add(root);
	revive(root);
	return root as unknown as ExecutionData;
}
