import type { INodeProperties } from 'n8n-workflow';

import { CONTROL_CHARACTERS, notEmpty, type Rule } from '../../shared/engine/rules';
import type { ParameterMapping } from '../../shared/engine/types';

export const filePathField: INodeProperties = {
	displayName: 'File Path',
	name: 'filePath',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. C:\\Windows\\Temp\\dropper.exe',
	description: 'Full path of one file on the hosts (no wildcards)',
};

/**
 * One file's path, as `get` takes it. A line break (a multi-line cell), a wildcard or a folder would reach every host
 * of the batch and come back as a per-host failure, or as nothing until the deadline.
 */
const oneFilePath: Rule = (value) => {
	const path = String(value ?? '').trim();
	if (CONTROL_CHARACTERS.test(path)) return 'must be one path, without line breaks, tabs or other control characters';
	// Windows' `\\?\` and `\\.\` prefixes (long and device paths) are no wildcards.
	if (/[*?]/.test(path.replace(/^\\\\[?.]\\/, ''))) return `must name one file, without * or ? wildcards (got ${JSON.stringify(path)})`;
	if (/[\\/]$/.test(path)) return `must name a file, not a folder (got ${JSON.stringify(path)})`;
	return undefined;
};

export const filePathMapping: ParameterMapping = {
	to: 'body',
	as: 'file_path',
	rules: [notEmpty, oneFilePath],
	transform: (value) => String(value).trim(),
};
