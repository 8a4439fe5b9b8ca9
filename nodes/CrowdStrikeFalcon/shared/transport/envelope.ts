import type { IDataObject } from 'n8n-workflow';

export interface FalconError {
	code?: number;
	message?: string;
	id?: string;
	/** Added to a per-host error from the answer that carried it. */
	trace_id?: string | null;
}

export interface FalconPagination {
	offset?: number | string;
	limit?: number;
	total?: number;
	after?: string;
}

export interface FalconMeta extends IDataObject {
	query_time?: number;
	trace_id?: string;
	powered_by?: string;
	pagination?: FalconPagination & IDataObject;
}

/** The `{meta, resources, errors}` body every Falcon API answers with (RTR batch calls add a few top-level keys). */
export interface FalconEnvelope extends IDataObject {
	meta?: FalconMeta;
	resources?: IDataObject[] | string[] | IDataObject | null;
	errors?: FalconError[] | null;
}

export interface FalconResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: FalconEnvelope;
}

export function resourcesOf(body: FalconEnvelope): IDataObject[] {
	const resources = body.resources;
	if (Array.isArray(resources)) {
		return resources.map((resource) =>
			typeof resource === 'object' && resource !== null ? resource : ({ id: resource } as IDataObject),
		);
	}
	return [];
}

export function idsOf(body: FalconEnvelope): string[] {
	return Array.isArray(body.resources) ? body.resources.map((id) => String(id)) : [];
}

export function errorsOf(body: unknown): FalconError[] {
	if (typeof body !== 'object' || body === null) return [];
	const { errors } = body as FalconEnvelope;
	if (Array.isArray(errors)) return errors;
	// Some RTR operations answer 4xx/5xx with a bare domain.APIError `{code, message}` instead of the envelope.
	const bare = body as FalconError;
	if (typeof bare.message === 'string' && bare.code !== undefined) return [bare];
	return [];
}

/**
 * The errors of a 2xx answer to a read by IDs that say a backend failed (a 5xx code): the IDs it left out were not
 * read, which is not "not found". Falcon names an ID it does not know with a 4xx code (404, RTR's 40401) or none.
 */
export function readFailures(body: unknown): FalconError[] {
	return errorsOf(body).filter((error) => Number(error.code) >= 500 && Number(error.code) <= 599);
}

export function traceIdOf(body: unknown, headers: Record<string, string> = {}): string | undefined {
	const meta = (body as FalconEnvelope | undefined)?.meta;
	return meta?.trace_id ?? headers['x-cs-traceid'];
}

/** A plain object (not null, not an array): what a record must be before its fields are read. */
export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
