import type { IDataObject } from 'n8n-workflow';

import type { N8nInstance } from '../../../scripts/runtime/n8n-instance';

/** An item as it appears in the execution JSON; binary entries hold either base64 `data` or a store `id`. */
export interface OutputItem {
	json: IDataObject;
	binary?: Record<
		string,
		IDataObject & { data?: string; id?: string; fileName?: string; mimeType?: string }
	>;
}

interface RunData {
	[nodeName: string]: Array<{ data?: { main?: Array<OutputItem[] | null> } }>;
}

interface ExecutionDocument {
	status: string;
	data: {
		resultData: {
			runData: RunData;
			error?: IDataObject & { message?: string; description?: string };
		};
	};
}

export interface ExecutionResult {
	status: string;
	succeeded: boolean;
	/** The workflow error (message, description, ...), when the execution failed. */
	error: (IDataObject & { message?: string; description?: string }) | undefined;
	/** Everything the n8n process printed, e.g. to check that a secret never appears. */
	output: string;
	/** JSON of the items a node emitted on one of its outputs (first run). */
	items(nodeName: string, outputIndex?: number): IDataObject[];
	/** The whole items (json and binary) a node emitted on one of its outputs (first run). */
	outputItems(nodeName: string, outputIndex?: number): OutputItem[];
}

/**
 * `n8n execute --rawOutput` prints the whole execution as indented JSON between a line "{" and a line "}";
 * log lines come before and, after a failure, after it.
 */
function parseExecution(stdout: string): ExecutionDocument {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.indexOf('}', start);
	if (start < 0 || end < 0)
		throw new Error(`No execution JSON in the n8n output:\n${stdout.slice(-3000)}`);
	return JSON.parse(lines.slice(start, end + 1).join('\n')) as ExecutionDocument;
}

export async function executeWorkflow(
	n8n: N8nInstance,
	workflowId: string,
): Promise<ExecutionResult> {
	const { stdout, stderr } = await n8n.cli(['execute', `--id=${workflowId}`, '--rawOutput'], {
		check: false,
	});
	const execution = parseExecution(stdout);
	const { runData, error } = execution.data.resultData;
	const outputItems = (nodeName: string, outputIndex = 0) => {
		const runs = runData[nodeName];
		if (!runs)
			throw new Error(`Node "${nodeName}" did not run; ran: ${Object.keys(runData).join(', ')}`);
		return runs[0].data?.main?.[outputIndex] ?? [];
	};
	return {
		status: execution.status,
		succeeded: execution.status === 'success' && !error,
		error,
		output: stdout + stderr,
		outputItems,
		items: (nodeName, outputIndex) => outputItems(nodeName, outputIndex).map((item) => item.json),
	};
}
