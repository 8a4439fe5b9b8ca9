import type { IDataObject } from 'n8n-workflow';

import type { FalconOperation } from '../../shared/engine/types';
import { CONTROL_CHARACTERS, type Rule } from '../../shared/engine/rules';
import { paths } from '../paths';
import { sessionIdField, sha256Rule, uuidMapping } from '../shared/fields';
import { ARCHIVE_MIME_TYPE, ARCHIVE_PASSWORD, downloadArchive, FILE_NAME_RESERVED } from '../shared/download';
import { binaryPropertyName, binaryPropertyOption } from './binaryField';

/** A name file systems take, as the archive's and the inner file's: no path, no characters Windows refuses. */
const fileNameRule: Rule = (value) => {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const name = value.trim();
	const reserved = [...name].some((char) => FILE_NAME_RESERVED.includes(char));
	const bad = reserved || CONTROL_CHARACTERS.test(name) || /^\.+$/.test(name) || name.length > 200;
	return bad
		? `must be a file name of at most 200 characters, without / \\ < > : " | ? * or control characters, and not only dots (got ${JSON.stringify(value)})`
		: undefined;
};

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
		{
			displayName: 'SHA256',
			name: 'sha256',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 3f786850e387550fdab836ed7e6dc881de23001b8e4b2b6a5e8d9c0f1a2b3c4d',
			description: 'SHA256 of the file, from File > Get Many',
		},
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
					description: "Name of the archive and of the file inside it (the API's filename); without it, the archive is named after the SHA256",
				},
			],
		},
	],
	parameters: {
		sessionId: uuidMapping('query', 'session_id'),
		sha256: { to: 'query', as: 'sha256', rules: [sha256Rule], transform: (v) => String(v).trim().toLowerCase() },
		// A name, not a path: it names the archive and the file inside it.
		'options.fileName': { to: 'query', as: 'filename', rules: [fileNameRule], transform: (v) => String(v).trim() },
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
