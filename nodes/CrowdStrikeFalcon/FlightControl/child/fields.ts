import type { INodeProperties } from 'n8n-workflow';

import { eachMatches, listsAtMost, notEmpty, toList } from '../../shared/engine/rules';
import type { ParameterMapping } from '../../shared/engine/types';
import { DEFAULT_IDS_PER_REQUEST } from '../../shared/transport/ids';
import { normaliseCid } from '../../shared/transport/memberCid';

export const childCidsField: INodeProperties = {
	displayName: 'Child CIDs',
	name: 'childCids',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 0123456789abcdef0123456789abcdef, fedcba9876543210fedcba9876543210-4A',
	description:
		'Child CIDs (at most 100), separated by commas, or a list from an expression; the -XX checksum may be included',
};

export const childCidsMapping: ParameterMapping = {
	to: 'query',
	as: 'ids',
	rules: [
		notEmpty,
		eachMatches(
			/^[0-9a-f]{32}(-[0-9a-f]{2})?$/i,
			'a CID of 32 hexadecimal characters, optionally with its -XX checksum',
		),
		// getChildren takes the ids in the query string.
		listsAtMost(DEFAULT_IDS_PER_REQUEST, 'CIDs', childCidList),
	],
	transform: childCidList,
};

/** Bare CIDs (lower case, no checksum), each once. */
function childCidList(value: unknown): string[] {
	return [...new Set(toList(value).map((cid) => normaliseCid(cid) ?? cid))];
}
