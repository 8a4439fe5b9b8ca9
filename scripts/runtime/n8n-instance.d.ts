// Types for n8n-instance.js, so the TypeScript e2e harness can use it.
/** Where `n8n start` output is copied, e.g. process.stdout. */
export interface OutputSink {
	write(chunk: Buffer | string): unknown;
}

export interface CommandResult {
	status: number | string;
	stdout: string;
	stderr: string;
}

export interface RunningN8n {
	url: string;
	logFile: string;
	pid: number;
	/** Resolves with the exit code or signal when the process ends. */
	exited: Promise<number | string>;
	stop(): Promise<void>;
}

export interface InstalledPackage {
	packageName: string;
	directory: string;
	/** Prefix of the package's node types inside n8n, e.g. "n8n-nodes-crowdstrike-falcon." */
	nodeTypePrefix: string;
}

export declare const OWNER: Readonly<{ email: string; password: string; firstName: string; lastName: string }>;

export declare function ensureRuntime(): { nodeBinary: string; n8nBin: string; runtimeDir: string };

export declare class N8nInstance {
	constructor(options: { userFolder: string; port?: number; listenAddress?: string; reset?: boolean });
	readonly userFolder: string;
	readonly env: Record<string, string>;
	readonly owner: typeof OWNER;
	server: RunningN8n | undefined;
	installPackage(): Promise<InstalledPackage>;
	importCredentials(credentials: object[]): Promise<void>;
	importWorkflows(workflows: object[]): Promise<void>;
	cli(args: string[], options?: { check?: boolean }): Promise<CommandResult>;
	start(options?: { echo?: OutputSink }): Promise<RunningN8n>;
	stop(): Promise<void>;
}
