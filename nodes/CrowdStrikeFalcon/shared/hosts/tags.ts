import type { Rule } from '../engine/rules';
import { toCommaList } from '../engine/rules';

export const GROUPING_TAG_PREFIX = 'FalconGroupingTags/';
/** Tags set with the sensor's installation: hosts carry them in `tags` too, but only the sensor sets them. */
const SENSOR_TAG_PREFIX = 'SensorGroupingTags/';
const PREFIXES = [GROUPING_TAG_PREFIX, SENSOR_TAG_PREFIX];
const TAG_NAME = /^[A-Za-z0-9_\-/]+$/;

/**
 * A host tag as Falcon writes it: a prefix typed in any case is written as Falcon does, and a bare name is a Falcon
 * grouping tag (users may type it without its prefix).
 */
export function hostTag(tag: string): string {
	const trimmed = tag.trim();
	const prefix = PREFIXES.find((known) => trimmed.toLowerCase().startsWith(known.toLowerCase()));
	return prefix ? `${prefix}${trimmed.slice(prefix.length)}` : `${GROUPING_TAG_PREFIX}${trimmed}`;
}

export function hostTags(value: unknown): string[] {
	return [...new Set(toCommaList(value).map(hostTag))];
}

function tagsProblem(tags: string[]): string | undefined {
	if (tags.length === 0) return 'must not be empty';
	const nameOf = (tag: string) => tag.slice(tag.indexOf('/') + 1);
	const bad = tags.find((tag) => !TAG_NAME.test(nameOf(tag)));
	return bad === undefined ? undefined : `each tag may only use letters, digits, "-", "_" and "/" (got "${nameOf(bad)}")`;
}

/** Tags to look for: Falcon grouping tags and sensor grouping tags. */
export const hostTagsRule: Rule = (value) => tagsProblem(hostTags(value));

/** Tags to add or remove: Falcon grouping tags only (the API does not change sensor grouping tags). */
export const groupingTagsRule: Rule = (value) => {
	const tags = hostTags(value);
	const sensorTag = tags.find((tag) => tag.startsWith(SENSOR_TAG_PREFIX));
	if (sensorTag) return `must be Falcon grouping tags: "${sensorTag}" is a sensor grouping tag, set with the sensor's installation`;
	return tagsProblem(tags);
};
