import { createHash } from 'crypto';
import { ApiError } from '../request';
import type { Random } from '../random';
import { notFound } from '../lookup';
import { createEncrypted7z } from '../sevenZip';
import type { Command, CommandStore } from './commands';
import type { Session } from './sessions';

export interface SessionFile {
	v1Id: number;
	v2Id: string;
	command: Command;
	path: string;
	content: Buffer;
	sha256: string;
	deletedAt?: number;
	archive?: Buffer;
}

export type FileProgress = 'running' | 'uploading' | 'ready';

const iso = (ms: number) => new Date(ms).toISOString();

function basename(path: string): string {
	return path.split(/[\\/]/).filter(Boolean).pop() ?? 'file';
}

/** Files pulled from hosts by `get`; they appear when the command completes and are downloadable after the upload delay. */
export class FileStore {
	private files: SessionFile[] = [];
	private nextV1Id = 1;

	constructor(
		private readonly commands: CommandStore,
		private readonly random: () => Random,
		private readonly uploadAfterMs: number,
	) {}

	add(command: Command): SessionFile | undefined {
		const file = command.result.file;
		if (!file) return undefined;
		const entry: SessionFile = {
			v1Id: this.nextV1Id++,
			v2Id: this.random().uuid(),
			command,
			path: file.path,
			content: file.content,
			sha256: createHash('sha256').update(file.content).digest('hex'),
		};
		this.files.push(entry);
		return entry;
	}

	progress(file: SessionFile, now = Date.now()): FileProgress {
		if (!this.commands.isComplete(file.command, now)) return 'running';
		return file.command.completeAt + this.uploadAfterMs <= now ? 'ready' : 'uploading';
	}

	/** Files of a session that exist in the cloud (their `get` completed), not deleted. */
	listed(session: Session): SessionFile[] {
		return this.files.filter((f) => f.command.session === session && f.deletedAt === undefined && this.progress(f) !== 'running');
	}

	forCommand(command: Command): SessionFile | undefined {
		return this.files.find((f) => f.command === command);
	}

	viewV1(file: SessionFile): Record<string, unknown> {
		const created = iso(file.command.completeAt);
		return {
			id: file.v1Id,
			name: file.path,
			sha256: file.sha256,
			size: file.content.length,
			session_id: file.command.session.id,
			cloud_request_id: file.command.id,
			created_at: created,
			updated_at: created,
			deleted_at: null,
		};
	}

	viewV2(file: SessionFile): Record<string, unknown> {
		const progress = this.progress(file);
		const ready = progress === 'ready';
		return {
			...this.viewV1(file),
			id: file.v2Id,
			complete: ready,
			progress: ready ? 1 : 0.5,
			stage: ready ? 'complete' : 'uploading',
			status: ready ? 'complete' : 'in_progress',
			error_message: '',
		};
	}

	/** RTR_DeleteFile(V2): by file id (v1 integer or v2 UUID); the sha256 is accepted too. */
	delete(session: Session, id: string): void {
		const file = this.listed(session).find((f) => String(f.v1Id) === id || f.v2Id === id || f.sha256 === id);
		if (!file) throw notFound('file', [id]);
		file.deletedAt = Date.now();
	}

	/** RTR_GetExtractedFileContents: the 7z (password "infected"), or an error while the upload is still running. */
	archive(session: Session, sha256: string, filename: string | null): { name: string; bytes: Buffer } {
		const file = this.files.find((f) => f.command.session === session && f.sha256 === sha256.toLowerCase() && f.deletedAt === undefined);
		if (!file || this.progress(file) === 'running') throw notFound('file with sha256', [sha256]);
		if (this.progress(file) !== 'ready') {
			throw new ApiError(404, `file ${sha256} is still being uploaded to the cloud; retry shortly`, 40402);
		}
		const inner = filename || basename(file.path);
		if (!file.archive || filename) {
			const bytes = createEncrypted7z({ name: inner, data: file.content, modified: new Date(file.command.createdAt) }, 'infected', this.random().bytes(16));
			if (filename) return { name: inner, bytes };
			file.archive = bytes;
		}
		return { name: inner, bytes: file.archive };
	}
}
