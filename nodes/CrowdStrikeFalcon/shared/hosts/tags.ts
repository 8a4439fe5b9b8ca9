import type { Rule } from '../engine/rules';
import { toCommaList } from '../engine/rules';

export const GROUPING_TAG_PREFIX = 'FalconGroupingTags/';
const TAG_NAME = /^[A-Za-z0-9_\-/]+$/;

/** Falcon grouping tags always carry their prefix; users may type the bare name. */
export function groupingTag(tag: string): string {
	const trimmed = tag.trim();
	return trimmed.startsWith(GROUPING_TAG_PREFIX) ? trimmed : `${GROUPING_TAG_PREFIX}${trimmed}`;
}

export function groupingTags(value: unknown): string[] {
	return [...new Set(toCommaList(value).map(groupingTag))];
}

export const groupingTagsRule: Rule = (value) => {
	const tags = groupingTags(value);
	if (tags.length === 0) return 'must not be empty';
	const bad = tags.find((tag) => tag === GROUPING_TAG_PREFIX || !TAG_NAME.test(tag.slice(GROUPING_TAG_PREFIX.length)));
	return bad === undefined
		? undefined
		: `each tag may only use letters, digits, "-", "_" and "/" (got "${bad.slice(GROUPING_TAG_PREFIX.length)}")`;
};
