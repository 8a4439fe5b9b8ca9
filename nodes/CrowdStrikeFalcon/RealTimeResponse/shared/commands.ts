import type { INodePropertyOptions } from 'n8n-workflow';

import { CONTROL_CHARACTERS } from '../../shared/engine/rules';

export type Tier = 'readOnly' | 'activeResponder';

/** Base commands of the read-only tier (scope "Real time response: Read"), with what each does. */
const READ_ONLY: Record<string, string> = {
	cat: 'Read a file',
	cd: 'Change the working directory',
	clear: 'Clear the session screen',
	csrutil: 'Show System Integrity Protection status (macOS)',
	env: 'Show environment variables',
	eventlog: 'Inspect Windows event logs (list, view, export, backup)',
	filehash: 'Hash a file (MD5 and SHA256)',
	getsid: 'List user SIDs (Windows)',
	help: 'Describe a command',
	history: 'Show the commands run in this session',
	ifconfig: 'Show network interfaces (Linux, macOS)',
	ipconfig: 'Show network configuration (Windows)',
	ls: 'List a directory',
	mount: 'List mounted file systems',
	netstat: 'List network connections',
	ps: 'List running processes',
	'reg query': 'Read registry keys and values (Windows)',
	users: 'List user accounts (macOS)',
};

/** Added by the active-responder tier (scope "Real time response: Write"); these change hosts. */
const ACTIVE_RESPONDER_ONLY: Record<string, string> = {
	cp: 'Copy a file or directory',
	encrypt: 'Encrypt a file',
	get: 'Upload a file from the host to the Falcon cloud',
	kill: 'Stop a process',
	map: 'Map a network share (Windows)',
	memdump: 'Dump the memory of a process',
	mkdir: 'Create a directory',
	mv: 'Move a file or directory',
	'reg delete': 'Delete registry keys or values (Windows)',
	'reg load': 'Load a registry hive (Windows)',
	'reg set': 'Set registry values (Windows)',
	'reg unload': 'Unload a registry hive (Windows)',
	restart: 'Restart the host',
	rm: 'Delete a file or directory',
	runscript: 'Run a script from the cloud or a raw script',
	shutdown: 'Shut the host down',
	tar: 'Archive files (Linux, macOS)',
	umount: 'Unmount a file system (Linux, macOS)',
	unmap: 'Remove a network share mapping (Windows)',
	'update history': 'Show Windows update history',
	'update install': 'Install a Windows update',
	'update list': 'List available Windows updates',
	'update query': 'Query a Windows update',
	xmemdump: 'Dump the full memory of the host',
	zip: 'Compress a file or directory',
};

const TIER_COMMANDS: Record<Tier, Record<string, string>> = {
	readOnly: READ_ONLY,
	activeResponder: { ...READ_ONLY, ...ACTIVE_RESPONDER_ONLY },
};

export const TIER_LABEL: Record<Tier, string> = {
	readOnly: 'Read-Only (Real time response: Read)',
	activeResponder: 'Active Responder (Real time response: Write)',
};

export function baseCommandOptions(tier: Tier): INodePropertyOptions[] {
	return Object.entries(TIER_COMMANDS[tier])
		.map(([value, description]) => ({ name: value, value, description }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

function normalise(command: unknown): string {
	return String(command ?? '')
		.trim()
		.toLowerCase()
		.replace(/\s+/g, ' ');
}

/** Why a base command may not be sent on this tier, or undefined when it may. */
export function baseCommandProblem(tier: Tier, baseCommand: unknown): string | undefined {
	const base = normalise(baseCommand);
	if (base === '') return 'must not be empty';
	if (base in TIER_COMMANDS[tier]) return undefined;
	if (base in ACTIVE_RESPONDER_ONLY) {
		return `"${base}" is an active responder command: use an Active Responder operation (needs the scope Real time response: Write)`;
	}
	return `"${base}" is not a Real Time Response command of the ${TIER_LABEL[tier]} tier`;
}

/**
 * The command line must start with its base command: Falcon checks permissions on the base command, so a line
 * for another verb (`rm` under base `ls`) would be a mistake at best.
 */
export function commandLineProblem(baseCommand: unknown, commandLine: unknown): string | undefined {
	const line = normalise(commandLine);
	if (line === '') return '"Command Line" must not be empty';
	// A line break or other control character would reach the host inside one command line (an expression that
	// joined a multi-line cell): refused rather than guessed at. A script fenced in ``` (runscript -Raw) may hold them.
	const outsideScripts = String(commandLine).trim().replace(/```[\s\S]*?```/g, '');
	if (CONTROL_CHARACTERS.test(outsideScripts)) {
		return '"Command Line" must be one line, without line breaks, tabs or other control characters outside a ``` fenced script';
	}
	const base = normalise(baseCommand);
	if (line === base || line.startsWith(`${base} `)) return undefined;
	return `"Command Line" must start with the base command "${base}" (e.g. "${base} ${example(base)}")`;
}

function example(base: string): string {
	if (base === 'ls' || base === 'cd') return 'C:\\Windows';
	if (base === 'get' || base === 'cat' || base === 'filehash' || base === 'rm') return 'C:\\Temp\\file.txt';
	if (base === 'kill') return '4242';
	return '<arguments>';
}

export function isTier(value: unknown): value is Tier {
	return value === 'readOnly' || value === 'activeResponder';
}

/**
 * `eventlog` reads only with `list` or `view`: its other subcommands (export, backup) write a log file on the host.
 * Whatever else is written after it (`"export"`, `-Action export`) is taken for one of those.
 */
const EVENTLOG = /^\s*eventlog\b/i;
const EVENTLOG_READS = /^\s*eventlog\s+(list|view)(\s|$)/i;

/**
 * Whether this command line changes the host it runs on: every active-responder command, and the read-only ones
 * that write files there. What an AI agent may run only with the user's opt-in.
 */
export function changesHost(tier: Tier, commandLine: unknown): boolean {
	const line = String(commandLine ?? '');
	return tier === 'activeResponder' || (EVENTLOG.test(line) && !EVENTLOG_READS.test(line));
}
