// Types for n8n-instance.js, so the TypeScript e2e harness can use it.
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

export declare const OWNER: Readonly<{
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}>;

export declare function ensureRuntime(): { nodeBinary: string; n8nBin: string; runtimeDir: string };

/** Runs a command with its output shown live; throws if it fails. Returns the seconds taken. */
export declare function runCommand(
	command: string,
	args: string[],
	options?: { cwd?: string; env?: Record<string, string>; what?: string },
): string;

/** The workflows of examples/*.json, their Falcon nodes pointed at `credential`. */
export declare function exampleWorkflows(credential: { id: string; name: string }): Array<{
	id?: string;
	name: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> }>;
}>;

/** `npm pack` of the project (built beforehand) into a folder; resolves with the tarball's path. */
export declare const CREDENTIAL_TYPE: 'crowdStrikeFalconOAuth2Api';

export interface CredentialRef {
	id: string;
	name: string;
}

/** A credential entity for `n8n import:credentials`, pointing at a simulator ("Custom URL" cloud). */
export declare function simulatorCredential(
	simulator: { url: string; clientId: string; clientSecret: string },
	ref: CredentialRef,
	overrides?: { clientSecret?: string },
): { id: string; name: string; type: string; data: Record<string, string> };

export declare function packProject(destinationDir: string): Promise<string>;

export declare class N8nInstance {
	constructor(options: {
		userFolder: string;
		/** Default 5678. */
		port?: number;
		/** Task broker port; default port + 1. */
		brokerPort?: number;
		listenAddress?: string;
		/** Delete the user folder first; default true. */
		reset?: boolean;
	});
	readonly userFolder: string;
	readonly env: Record<string, string>;
	readonly owner: typeof OWNER;
	server: RunningN8n | undefined;
	/** Installs the given tarball (from packProject), or packs the project first when none is given. */
	installPackage(tarball?: string): Promise<InstalledPackage>;
	importCredentials(credentials: object[]): Promise<void>;
	importWorkflows(workflows: object[]): Promise<void>;
	cli(args: string[], options?: { check?: boolean }): Promise<CommandResult>;
	/** `n8n start`; resolves once /healthz and /healthz/readiness answer. Output goes to <user folder>/n8n.log. */
	start(): Promise<RunningN8n>;
	stop(): Promise<void>;
}
