import type { INodeProperties } from 'n8n-workflow';

import { eachMatches, listsAtMost, notEmpty, toList, type Rule } from '../../shared/engine/rules';
import type { ParameterMapping } from '../../shared/engine/types';

/**
 * Alerts read or updated per call: PostCombinedAlertsV1 documents at most 1,000 per page; for the entity reads and
 * updates Falcon documents no limit, and its PowerShell module sends 1,000.
 */
export const MAX_ALERTS_PER_CALL = 1000;

/**
 * `<cid>:<kind>:<aid or id>:<detection>` (e.g. `…:ind:…:123-45-678`, `…:automated-lead:…`), or a bare 32-hex id for
 * some products. Past the CID its shape varies by product: only what no ID holds (spaces, separators) is refused.
 */
const COMPOSITE_ID = /^(?:[0-9a-f]{32}:[A-Za-z0-9_.-]+:[A-Za-z0-9_.:-]+|[0-9a-f]{32})$/i;

export const compositeIdsField: INodeProperties = {
	displayName: 'Composite IDs',
	name: 'compositeIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. {{ $json.event.CompositeId }}',
	description:
		'Composite alert IDs (composite_id, or CompositeId in a detection event; at most 1,000), separated by commas, or a list from an expression',
};

export const compositeIdsMapping: ParameterMapping = {
	to: 'body',
	as: 'composite_ids',
	rules: [
		notEmpty,
		eachMatches(COMPOSITE_ID, 'a composite alert ID such as <cid>:ind:<host id>:<detection id>'),
		listsAtMost(MAX_ALERTS_PER_CALL, 'alerts', compositeIdList),
	],
	transform: compositeIdList,
};

/** The composite IDs, each once. */
function compositeIdList(value: unknown): string[] {
	return [...new Set(toList(value))];
}

export const alertStatuses = [
	{ name: 'Closed', value: 'closed' },
	{ name: 'In Progress', value: 'in_progress' },
	{ name: 'New', value: 'new' },
	{ name: 'Reopened', value: 'reopened' },
];

export const alertStatusRule: Rule = (value) => {
	if (value === undefined || value === '') return undefined;
	const known = alertStatuses.map((status) => status.value);
	return known.includes(String(value))
		? undefined
		: `must be one of ${known.join(', ')} (got ${JSON.stringify(value)})`;
};
