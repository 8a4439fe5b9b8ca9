import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { errorsOf } from '../../shared/transport/envelope';
import { falconApiError, operationError, parseStreamBody } from '../../shared/transport/failures';
import { falconRawRequest } from '../../shared/transport/falconRequest';
import { paths } from '../paths';

type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

export const ARCHIVE_MIME_TYPE = 'application/x-7z-compressed';
/** Falcon wraps every extracted file in a 7z encrypted with this password, so nothing executes by accident. */
export const ARCHIVE_PASSWORD = 'infected';

export function basenameOf(path: string): string {
	return path.split(/[\\/]/).filter(Boolean).pop() ?? 'file';
}

/** Characters Windows refuses in a file name (control characters aside). */
export const FILE_NAME_RESERVED = '<>:"/\\|?*';

/** `<host>_<basename>.7z`, with characters file systems dislike replaced. */
export function archiveFileName(hostId: string, filePath: string): string {
	const name = `${hostId}_${basenameOf(filePath)}.7z`;
	return [...name].map((char) => (char < ' ' || FILE_NAME_RESERVED.includes(char) ? '_' : char)).join('');
}

/**
 * RTR_GetExtractedFileContents as a stream handed straight to n8n's binary data store, so the archive is never
 * held in memory whole (with n8n's filesystem or S3 binary mode).
 */
export async function downloadArchive(
	context: IExecuteFunctions,
	request: { sessionId: string; sha256: string; fileName: string; innerName?: string; itemIndex: number },
): Promise<IBinaryData> {
	// The archive stays in the cloud: a transfer cut midway (a proxy's timeout, a reset) is asked for again.
	for (let attempt = 0; ; attempt++) {
		const stored = await downloadOnce(context, request);
		if (!(stored instanceof DownloadInterrupted)) return stored;
		if (attempt >= DOWNLOAD_RETRIES || context.getExecutionCancelSignal?.()?.aborted) {
			throw operationError(context.getNode(), `The archive download was interrupted: ${stored.reason}`, {
				itemIndex: request.itemIndex,
				description: `Nothing was stored. The file stays in Falcon's cloud while its session lasts: download it again with File → Download (session_id ${request.sessionId}, sha256 ${request.sha256}).`,
			});
		}
	}
}

/** Tries after the first when the transfer breaks off. */
const DOWNLOAD_RETRIES = 2;

/** A transfer that broke off once the archive had started to arrive (any earlier failure is Falcon's answer). */
class DownloadInterrupted {
	readonly reason: string;

	constructor(error: unknown) {
		const { message, code } = (error ?? {}) as { message?: string; code?: string };
		this.reason = [code, message].filter(Boolean).join(': ') || 'the connection closed';
	}
}

async function downloadOnce(
	context: IExecuteFunctions,
	request: { sessionId: string; sha256: string; fileName: string; innerName?: string; itemIndex: number },
): Promise<IBinaryData | DownloadInterrupted> {
	const qs: Record<string, string> = { session_id: request.sessionId, sha256: request.sha256 };
	if (request.innerName) qs.filename = request.innerName;
	const response = await falconRawRequest.call(context, {
		method: 'GET',
		path: paths.extractedFileContents,
		qs,
		headers: { Accept: `${ARCHIVE_MIME_TYPE}, application/json` },
		encoding: 'stream',
		itemIndex: request.itemIndex,
	});
	const stream = response.body as unknown as BinarySource;
	if (/json/i.test(response.headers['content-type'] ?? '')) {
		// Falcon's envelope instead of the archive: an error to report, not a file to store as a 7z.
		const body = await parseStreamBody(stream as AsyncIterable<Uint8Array | string>);
		const code = Number(errorsOf(body)[0]?.code);
		throw falconApiError(
			context.getNode(),
			{ statusCode: code >= 400 && code < 600 ? code : 502, headers: response.headers, body, message: '' },
			{ method: 'GET', path: paths.extractedFileContents, itemIndex: request.itemIndex, hint: `Falcon answered HTTP ${response.statusCode} with JSON instead of the 7z archive` },
		);
	}
	return await context.helpers
		.prepareBinaryData(stream, request.fileName, ARCHIVE_MIME_TYPE)
		.catch((error: unknown) => new DownloadInterrupted(error));
}
