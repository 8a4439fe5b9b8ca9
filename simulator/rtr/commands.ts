import { ApiError, type AuthContext } from '../request';
import type { Faults } from '../faults';
import type { Random } from '../random';
import { notFound } from '../lookup';
import { validateCommand, type Tier } from './commandCatalog';
import { runCannedCommand, type CommandResult } from './cannedOutput';
import { Hosts, SENSOR_COMMS_ERROR } from './hosts';
import type { Session } from './sessions';

export interface Command {
	id: string;
	session: Session;
	tier: Tier;
	verb: string;
	baseCommand: string;
	commandString: string;
	createdAt: number;
	/** Infinity while queued for an offline host, and for commands the neverComplete faults caught. */
	completeAt: number;
	queued: boolean;
	neverCompletes: boolean;
	canceledAt?: number;
	result: CommandResult;
}

export interface CommandSettings {
	seed: number;
	completeAfterMs: number;
	chunkSize: number;
}

/**
 * Output is served in chunks of `chunkSize` characters. A status call with sequence_id N returns chunk N; the
 * response's sequence_id is N+1 when another chunk follows and N on the last chunk (so "response sequence_id
 * equals the one I asked for" means done). stderr comes with chunk 0. Before completion stdout/stderr are empty.
 */
export function chunkOf(text: string, size: number, sequence: number): { chunk: string; next: number } {
	const count = Math.max(1, Math.ceil(text.length / size));
	const chunk = sequence < count ? text.slice(sequence * size, (sequence + 1) * size) : '';
	return { chunk, next: sequence + 1 < count ? sequence + 1 : sequence };
}

export class CommandStore {
	private commands = new Map<string, Command>();

	constructor(
		private readonly hosts: Hosts,
		private readonly faults: Faults,
		private readonly random: () => Random,
		private readonly settings: CommandSettings,
	) {}

	create(session: Session, tier: Tier, baseCommand: string, commandString: string): Command {
		const { verb, args } = validateCommand(tier, baseCommand, commandString);
		const online = this.hosts.isOnline(session.host);
		if (!online && !session.offlineQueued) {
			throw new ApiError(404, SENSOR_COMMS_ERROR.message, SENSOR_COMMS_ERROR.code);
		}
		const pwdBefore = session.pwd;
		const result = runCannedCommand(this.settings.seed, session.host, pwdBefore, verb, args);
		if (result.pwd) session.pwd = result.pwd;
		const now = Date.now();
		const neverCompletes = this.faults.commandNeverCompletes(verb, session.host.aid);
		const command: Command = {
			id: this.random().uuid(),
			session,
			tier,
			verb,
			baseCommand,
			commandString,
			createdAt: now,
			completeAt: neverCompletes || !online ? Infinity : now + this.settings.completeAfterMs,
			queued: !online,
			neverCompletes,
			result,
		};
		this.commands.set(command.id, command);
		session.cloudRequestIds.push(command.id);
		session.logs.push({
			id: session.logs.length + 1,
			session_id: session.id,
			cloud_request_id: command.id,
			base_command: baseCommand,
			command_string: commandString,
			current_directory: pwdBefore,
			created_at: new Date(now).toISOString(),
			updated_at: new Date(now).toISOString(),
		});
		session.updatedAt = now;
		return command;
	}

	/** Queued commands start running once their host is back online. */
	private settle(command: Command): void {
		if (command.queued && command.canceledAt === undefined && this.hosts.isOnline(command.session.host)) {
			command.queued = false;
			if (!command.neverCompletes) command.completeAt = Date.now() + this.settings.completeAfterMs;
		}
	}

	isComplete(command: Command, now = Date.now()): boolean {
		this.settle(command);
		return command.completeAt <= now;
	}

	find(id: string, auth: AuthContext): Command | undefined {
		const command = this.commands.get(id);
		return command && command.session.clientId === auth.clientId && command.session.cid === auth.cid ? command : undefined;
	}

	/** RTR_CheckCommandStatus / RTR_CheckActiveResponderCommandStatus. The read-only endpoint only sees read-only commands. */
	status(id: string, endpointTier: Tier, sequenceParam: string | null, auth: AuthContext): Record<string, unknown> {
		const command = this.find(id, auth);
		if (!command || (endpointTier === 'read-only' && command.tier !== 'read-only')) throw notFound('cloud_request_id', [id]);
		const sequence = sequenceParam === null || sequenceParam === '' ? 0 : Number(sequenceParam);
		if (!Number.isInteger(sequence) || sequence < 0) throw new ApiError(400, 'sequence_id must be a non-negative integer');
		const complete = this.isComplete(command);
		const { chunk, next } = chunkOf(command.result.stdout, this.settings.chunkSize, sequence);
		return {
			session_id: command.session.id,
			task_id: command.id,
			base_command: command.baseCommand,
			complete,
			stdout: complete ? chunk : '',
			stderr: complete && sequence === 0 ? command.result.stderr : '',
			sequence_id: complete ? next : sequence,
		};
	}

	forSession(session: Session): Command[] {
		return session.cloudRequestIds.map((id) => this.commands.get(id)).filter((c): c is Command => c !== undefined);
	}

	cancelQueued(session: Session, cloudRequestId: string): void {
		const command = this.commands.get(cloudRequestId);
		if (!command || command.session !== session || command.canceledAt !== undefined) {
			throw notFound('queued command', [cloudRequestId]);
		}
		this.settle(command);
		if (!command.queued) throw new ApiError(400, `command ${cloudRequestId} already ran; only queued commands can be cancelled`);
		command.canceledAt = Date.now();
	}

	/** A deleted session takes the commands still queued in it with it: they never run. */
	cancelAllQueued(session: Session): void {
		for (const command of this.forSession(session)) {
			this.settle(command);
			if (command.queued && command.canceledAt === undefined) command.canceledAt = Date.now();
		}
	}

	count(): number {
		return this.commands.size;
	}
}
