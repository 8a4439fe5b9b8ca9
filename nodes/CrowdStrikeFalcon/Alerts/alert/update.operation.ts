import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { ALERT_CLOSING } from '../../shared/engine/aiAgent';
import { errorsPerId } from '../../shared/transport/errorsPerId';
import { asBoolean } from '../../shared/engine/parameters';
import { toCommaList, type Rule } from '../../shared/engine/rules';
import type { FalconOperation, ParameterMapping } from '../../shared/engine/types';
import { alertPaths } from '../paths';
import { alertStatuses, alertStatusRule, compositeIdsField, compositeIdsMapping } from './fields';

/** One update field becomes one or more `{name, value}` action parameters of PatchEntitiesAlertsV3. */
function action(name: string, rules: Rule[] = [], values: (value: unknown) => string[] = (v) => [String(v)]): ParameterMapping {
	return {
		to: 'body',
		as: 'action_parameters',
		rules,
		transform: (value) => {
			if (value === '' || value === false) return undefined;
			return values(value).map((entry) => ({ name, value: entry }));
		},
	};
}

/** Show in Console, sent as the text 'true' or 'false'. */
const showInUiText = action('show_in_ui');

/**
 * Show in Console: 'true' or 'false', also as the boolean an expression gives. Unlike the other fields, a false here
 * is a change (hide the alert), never "not set".
 */
const showInUi: ParameterMapping = {
	...showInUiText,
	rules: [
		(value) =>
			value === undefined || value === '' || value === true || value === false || value === 'true' || value === 'false'
				? undefined
				: `must be true or false (got ${JSON.stringify(value)})`,
	],
	transform: (value, values) =>
		value === '' || value === undefined ? undefined : showInUiText.transform!(String(value), values),
};

const nonBlank: Rule = (value) =>
	typeof value === 'string' && value !== '' && value.trim() === '' ? 'must not be blank' : undefined;

/** Alert tags may hold spaces; commas separate them. */
const tagList: Rule = (value) => {
	if (value === undefined || value === '') return undefined;
	const tags = toCommaList(value);
	if (tags.length === 0) return 'must not be empty';
	const bad = tags.find((tag) => tag.length > 256 || /['"\\]/.test(tag));
	return bad === undefined ? undefined : `each tag must be at most 256 characters, without quotes or backslashes (got "${bad}")`;
};

const updateFields: INodeProperties = {
	displayName: 'Update Fields',
	name: 'updateFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [
		{
			displayName: 'Add Tags',
			name: 'addTags',
			type: 'string',
			default: '',
			placeholder: 'e.g. contained, incident-4711',
			description: 'Tags to add, separated by commas',
		},
		{
			displayName: 'Append Comment',
			name: 'comment',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description: "Text added to the alert's comments, e.g. the evidence and who approved the response",
		},
		{
			displayName: 'Assign to Name',
			name: 'assignToName',
			type: 'string',
			default: '',
			description: 'Display name of the Falcon user to assign the alert to',
		},
		{
			displayName: 'Assign to User ID',
			name: 'assignToUserId',
			type: 'string',
			default: '',
			placeholder: 'e.g. analyst@example.com',
			description: 'User ID (usually the e-mail address) of the Falcon user to assign the alert to',
		},
		{
			displayName: 'Assign to UUID',
			name: 'assignToUuid',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1c5c4a4e-8f6b-4f2a-9a53-0d1f1f4e2b7a',
			description: 'UUID of the Falcon user to assign the alert to',
		},
		{
			displayName: 'Remove Tags',
			name: 'removeTags',
			type: 'string',
			default: '',
			description: 'Tags to remove, separated by commas (Falcon removes before it adds)',
		},
		{
			displayName: 'Show in Console',
			name: 'showInUi',
			type: 'options',
			options: [
				{ name: 'Show', value: 'true' },
				{ name: 'Hide', value: 'false' },
			],
			default: 'true',
			description: 'Whether the alert is listed in the Falcon console',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: alertStatuses,
			default: 'in_progress',
		},
		{
			displayName: 'Unassign',
			name: 'unassign',
			type: 'boolean',
			default: false,
			description: 'Whether to clear the assignee',
		},
	],
};

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidRule: Rule = (value) =>
	value === undefined || value === '' || uuid.test(String(value).trim())
		? undefined
		: `must be a UUID such as 1c5c4a4e-8f6b-4f2a-9a53-0d1f1f4e2b7a (got ${JSON.stringify(value)})`;

/** Each tag once: a tag listed twice would be two actions of the same call. */
const distinctTags = (value: unknown): string[] => [...new Set(toCommaList(value))];

export const update: FalconOperation = {
	value: 'update',
	name: 'Update',
	action: 'Update alerts',
	description:
		'Set the status, assign, comment and tag alerts, several changes in one call; one item per alert',
	operationId: 'PatchEntitiesAlertsV3',
	method: 'PATCH',
	idempotent: false,
	// What an attacker writing an alert's text would most want an agent to do: make the detection go away.
	needsAgentPermission: {
		permission: ALERT_CLOSING,
		when(itemIndex) {
			const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
			return String(fields.status ?? '').trim() === 'closed' || String(asBoolean(fields.showInUi)) === 'false';
		},
	},
	scopes: ['Alerts: Write'],
	path: alertPaths.update,
	properties: [compositeIdsField, updateFields],
	parameters: {
		compositeIds: compositeIdsMapping,
		'updateFields.status': action('update_status', [alertStatusRule]),
		'updateFields.unassign': action('unassign', [], () => ['']),
		'updateFields.assignToUuid': action('assign_to_uuid', [uuidRule], (v) => [String(v).trim()]),
		'updateFields.assignToUserId': action('assign_to_user_id', [nonBlank], (v) => [String(v).trim()]),
		'updateFields.assignToName': action('assign_to_name', [nonBlank]),
		'updateFields.removeTags': action('remove_tag', [tagList], distinctTags),
		'updateFields.addTags': action('add_tag', [tagList], distinctTags),
		'updateFields.comment': action('append_comment', [nonBlank]),
		'updateFields.showInUi': showInUi,
	},
	validate: (values) => {
		const fields = Object.entries((values.updateFields ?? {}) as IDataObject).filter(
			([name, value]) => value !== '' && value !== undefined && (value !== false || name === 'showInUi'),
		);
		if (fields.length === 0) return 'add at least one of the "Update Fields"';
		const names = fields.map(([name]) => name);
		// Falcon does not say in which order it applies them.
		if (names.includes('unassign') && names.some((name) => name.startsWith('assignTo'))) {
			return '"Unassign" and an "Assign to" field contradict each other: use one of them';
		}
		return undefined;
	},
	// Falcon refuses the whole call (400) when it does not know an alert; the call changed none, so the others are
	// sent again.
	actsOnKnownIdsApart: { sentAs: 'composite_ids', refusedWith: ['400'] },
	readsErrors: true,
	output: ({ sent, response }) => {
		const compositeIds = sent.composite_ids as string[];
		const errorsOf = errorsPerId(response.body as IDataObject, compositeIds);
		return compositeIds.map((compositeId) => {
			const concerning = errorsOf(compositeId);
			return {
				composite_id: compositeId,
				updated: concerning.length === 0,
				actions: sent.action_parameters,
				...(concerning.length > 0 ? { errors: concerning, trace_id: response.body.meta?.trace_id ?? null } : {}),
			};
		});
	},
};
