import { ApiError } from './request';

/** A 404 whose errors name every missing id, one entry each. */
export function notFound(what: string, ids: string[]): ApiError {
	const errors = ids.map((id) => ({ code: 404, message: `${what} not found: ${id}`, id }));
	return new ApiError(404, errors[0].message, 404, errors);
}

/** The items with these ids, in the order asked; 400 when no id is given, 404 naming any unknown id. */
export function pickByIds<T extends { id: string | number }>(items: T[], ids: string[], what: string): T[] {
	if (ids.length === 0) throw new ApiError(400, "missing required parameter 'ids'");
	const found = ids.map((id) => items.find((item) => String(item.id) === id));
	const missing = ids.filter((_, i) => found[i] === undefined);
	if (missing.length > 0) throw notFound(what, missing);
	return found as T[];
}
