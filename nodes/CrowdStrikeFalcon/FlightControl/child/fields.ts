import type { INodeProperties } from 'n8n-workflow';

import { eachMatches, notEmpty, toList, type Rule } from '../../shared/engine/rules';
import type { ParameterMapping } from '../../shared/engine/types';
import { normaliseCid } from '../../shared/transport/memberCid';

/** getChildren takes the ids in the query string: 100 keep the URL well within limits. */
const MAX_CIDS_PER_ITEM = 100;

const atMost: Rule = (value) => {
	const count = toList(value).length;
	return count > MAX_CIDS_PER_ITEM
		? `must list at most ${MAX_CIDS_PER_ITEM} CIDs per item (got ${count})`
		: undefined;
};

export const childCidsField: INodeProperties = {
	displayName: 'Child CIDs',
	name: 'childCids',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 0123456789abcdef0123456789abcdef, fedcba9876543210fedcba9876543210-4A',
	description:
		'Child CIDs, separated by commas, or a list from an expression; the -XX checksum may be included',
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
		atMost,
	],
	transform: (value) => [...new Set(toList(value).map((cid) => normaliseCid(cid) ?? cid))],
};
