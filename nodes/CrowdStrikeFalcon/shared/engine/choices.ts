import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { toList } from './rules';

/** A dropdown's choices, by parameter key (`collection.option`). */
export type ChoiceLists = Map<string, { multiple: boolean; allowed: unknown[] }>;

/**
 * The dropdown fields of an operation with a fixed list, top level and inside collections: n8n checks none of them
 * when an expression sets the value. Fields that share a name (one per other field's value, e.g. an RTR command
 * list per tier) accept what any of them lists.
 */
export function choiceLists(properties: INodeProperties[], skip: (key: string) => boolean): ChoiceLists {
	const lists: ChoiceLists = new Map();
	const add = (key: string, field: INodeProperties) => {
		if (!hasFixedChoices(field) || skip(key)) return;
		const values = (field.options as INodePropertyOptions[]).map((option) => option.value);
		const known = lists.get(key);
		if (known) known.allowed.push(...values);
		else lists.set(key, { multiple: field.type === 'multiOptions', allowed: values });
	};
	for (const property of properties) {
		add(property.name, property);
		if (property.type !== 'collection') continue;
		for (const option of (property.options ?? []) as INodeProperties[]) add(`${property.name}.${option.name}`, option);
	}
	return lists;
}

/** Why the value is none of the choices (an expression gave `Closed` for `closed`); undefined when it is one. */
export function unknownChoice({ multiple, allowed }: { multiple: boolean; allowed: unknown[] }, value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const given = multiple ? (Array.isArray(value) ? value : toList(value)) : [value];
	// By text: an expression's boolean or number is the choice it spells (`false` for "false").
	const texts = allowed.map(String);
	const unknown = given.find((entry) => !texts.includes(String(entry)));
	if (unknown === undefined) return undefined;
	const listed = [...new Set(allowed)].map((choice) => JSON.stringify(choice)).join(', ');
	return `must be ${multiple ? 'a list of' : 'one of'} ${listed} (got ${JSON.stringify(unknown)})`;
}

function hasFixedChoices(property: INodeProperties): boolean {
	if (property.type !== 'options' && property.type !== 'multiOptions') return false;
	if (property.typeOptions?.loadOptionsMethod || property.typeOptions?.loadOptions) return false;
	return Array.isArray(property.options) && property.options.every((option) => 'value' in option);
}
