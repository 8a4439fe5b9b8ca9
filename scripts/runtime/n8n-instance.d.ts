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

/** What differs between n8n majors for the scripts driving it (see n8n-features.js). */
export interface N8nFeatures {
	major: number;
	/** npm `overrides` for the runtime's install (a dependency an offline install cannot fetch). */
	npmOverrides: Record<string, string>;
	ownerFromEnvironment: boolean;
	activateArgs(workflowId: string): string[];
}

/** One (n8n, Node.js) pair and where it is installed under .n8n-runtime/. */
export interface Runtime {
	n8nVersion: string;
	nodeVersion: string;
	runtimeDir: string;
	nodeDir: string;
	nodeBinary: string;
	n8nDir: string;
	n8nBin: string;
	features: N8nFeatures;
}

/** The n8n versions `npm run test:compat` runs on, oldest first. */
export declare const COMPAT_N8N_VERSIONS: readonly string[];

/** An n8n version with the Node.js of its major (1.x: Node 22, 2.x: Node 24). */
export declare function runtimeFor(n8nVersion?: string): Runtime;

/** The runtime RUNTIME_N8N names, or the pinned default. */
export declare function selectedRuntime(env?: Record<string, string | undefined>): Runtime;

/** The runtimes of the compatibility suite; COMPAT_N8N="1.123.81,2.41.1" narrows them. */
export declare function compatRuntimes(env?: Record<string, string | undefined>): Runtime[];

/** Installs the runtime (default: selectedRuntime()) unless a previous run did; returns it. */
export declare function ensureRuntime(runtime?: Runtime): Runtime;

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

export interface N8nInstanceOptions {
	userFolder: string;
	/** Default 5678. */
	port?: number;
	/** Task broker port; default port + 1. */
	brokerPort?: number;
	listenAddress?: string;
	/** Delete the user folder first; default true. */
	reset?: boolean;
	/** The n8n to run, as a runtime or an n8n version; default selectedRuntime(). */
	runtime?: Runtime | string;
}

export declare class N8nInstance {
	constructor(options: N8nInstanceOptions);
	/**
	 * As the constructor, after checking that n8n's port and its task broker's port are free: when one is not, it
	 * rejects naming it, and the user folder is left as it was.
	 */
	static create(options: N8nInstanceOptions): Promise<N8nInstance>;
	readonly runtime: Runtime;
	readonly userFolder: string;
	readonly env: Record<string, string>;
	readonly owner: typeof OWNER;
	server: RunningN8n | undefined;
	/** Installs the given tarball (from packProject), or packs the project first when none is given. */
	installPackage(tarball?: string): Promise<InstalledPackage>;
	importCredentials(credentials: object[]): Promise<void>;
	importWorkflows(workflows: object[]): Promise<void>;
	cli(args: string[], options?: { check?: boolean }): Promise<CommandResult>;
	/** Activates (2.x: publishes) an imported workflow; takes effect at the next start(). */
	activate(workflowId: string): Promise<CommandResult>;
	/**
	 * `n8n start`; resolves once /healthz and /healthz/readiness answer (and, on 1.x, the owner is set up). Rejects
	 * first when n8n's port or its task broker's is not free. Output goes to <user folder>/n8n.log.
	 */
	start(): Promise<RunningN8n>;
	stop(): Promise<void>;
	/** Deletes the editor assets n8n copies into the user folder at start (so `eslint .` does not lint them). */
	removeEditorCache(): void;
}
