import { ApiError } from '../request';

export type Tier = 'read-only' | 'active-responder';

/** Base commands each tier accepts (falcon-api.md §4.3, with PSFalcon's platform extras). */
const READ_ONLY = [
	'cat', 'cd', 'clear', 'env', 'eventlog', 'filehash', 'getsid', 'help', 'history', 'ipconfig', 'ls', 'mount',
	'netstat', 'ps', 'reg query', 'csrutil', 'ifconfig', 'users',
];
const ACTIVE_RESPONDER_ONLY = [
	'cp', 'encrypt', 'get', 'kill', 'map', 'memdump', 'mkdir', 'mv', 'reg set', 'reg delete', 'reg load', 'reg unload',
	'restart', 'rm', 'runscript', 'shutdown', 'unmap', 'update history', 'update install', 'update list', 'update query',
	'xmemdump', 'zip', 'tar', 'umount',
];

export const COMMANDS: Record<Tier, readonly string[]> = {
	'read-only': READ_ONLY,
	'active-responder': [...READ_ONLY, ...ACTIVE_RESPONDER_ONLY],
};

export interface ParsedCommand {
	/** Normalised verb, two words for `reg ...` and `update ...`. */
	verb: string;
	/** Everything after the verb. */
	args: string;
}

/**
 * Checks base_command/command_string against the tier the endpoint serves. `reg`/`update` are accepted both as
 * `reg query` and as `reg` with the sub-command in command_string.
 */
export function validateCommand(tier: Tier, baseCommand: string, commandString: string): ParsedCommand {
	const base = baseCommand.trim().toLowerCase().replace(/\s+/g, ' ');
	const line = commandString.trim();
	if (!line.toLowerCase().startsWith(base.split(' ')[0])) {
		throw new ApiError(400, `command_string must start with base_command '${baseCommand}'`);
	}
	const words = line.split(/\s+/);
	const twoWord = base === 'reg' || base === 'update' || base.includes(' ');
	const verb = twoWord ? `${words[0]} ${words[1] ?? ''}`.toLowerCase().trim() : base;
	if (base.includes(' ') && verb !== base) {
		throw new ApiError(400, `command_string must start with base_command '${baseCommand}'`);
	}
	if (!COMMANDS['active-responder'].includes(verb)) {
		throw new ApiError(400, `'${verb}' is not a valid RTR command for this API (admin commands are not supported)`);
	}
	if (!COMMANDS[tier].includes(verb)) {
		throw new ApiError(
			400,
			`'${verb}' requires the active-responder tier: use RTR_ExecuteActiveResponderCommand / BatchActiveResponderCmd`,
		);
	}
	const args = line.split(/\s+/).slice(verb.split(' ').length).join(' ');
	return { verb, args };
}
