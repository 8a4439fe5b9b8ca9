import type { IDataObject } from 'n8n-workflow';

import type { FalconOperation } from '../../shared/engine/types';
import { eachMatches, notEmpty } from '../../shared/engine/rules';
import { paths } from '../paths';
import { sessionIdField, uuidMapping } from '../shared/fields';
import { ARCHIVE_MIME_TYPE, ARCHIVE_PASSWORD, downloadArchive } from '../shared/download';
import { binaryPropertyName, binaryPropertyOption } from './binaryField';

export const download: FalconOperation = {
	value: 'download',
	name: 'Download',
	action: 'Download a file as a 7z archive',
	description: 'Download a file a session pulled from its host, as binary data: a 7z archive with the password "infected"',
	operationId: 'RTR_GetExtractedFileContents',
	method: 'GET',
	idempotent: true,
	scopes: ['Real time response: Write'],
	path: paths.extractedFileContents,
	properties: [
		sessionIdField,
		{ displayName: 'SHA256', name: 'sha256', type: 'string', required: true, default: '', description: 'SHA256 of the file, from File > Get Many' },
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				binaryPropertyOption,
				{
					displayName: 'File Name',
					name: 'fileName',
					type: 'string',
					default: '',
					description: "Name of the archive and of the file inside it (the API's filename); defaults to the file's own name",
				},
			],
		},
	],
	parameters: {
		sessionId: uuidMapping('query', 'session_id'),
		sha256: { to: 'query', as: 'sha256', rules: [notEmpty, eachMatches(/^[0-9a-f]{64}$/i, 'a SHA256 of 64 hexadecimal characters')], transform: (v) => String(v).trim().toLowerCase() },
		'options.fileName': { to: 'query', as: 'filename' },
	},
	async run(itemIndex, { sent }) {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const innerName = sent.filename === undefined ? undefined : String(sent.filename);
		const fileName = `${innerName ?? String(sent.sha256)}.7z`;
		const binary = await downloadArchive(this, {
			sessionId: String(sent.session_id),
			sha256: String(sent.sha256),
			fileName,
			innerName,
			itemIndex,
		});
		const json: IDataObject = {
			session_id: sent.session_id,
			sha256: sent.sha256,
			file_name: fileName,
			mime_type: ARCHIVE_MIME_TYPE,
			archive_password: ARCHIVE_PASSWORD,
		};
		return [{ json, binary: { [binaryPropertyName(options)]: binary }, pairedItem: { item: itemIndex } }];
	},
};
