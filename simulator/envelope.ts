import type { ApiRequest } from './request';

export interface Pagination {
	offset: number;
	limit: number;
	total: number;
}

/** QueryDevicesByFilterScroll's paging (GOF DeviceapiDevicePaging): `offset` is the token for the next page. */
export interface ScrollPagination {
	offset: string;
	expires_at: number;
	limit: number;
	total: number;
}

/** PostCombinedAlertsV1's paging (GOF DetectsapiPostCombinedAlertsV1Paging): `after` is absent on the last page. */
export interface AfterPagination {
	after?: string;
	limit: number;
	total: number;
}

export interface ErrorEntry {
	code: number;
	message: string;
	id?: string;
}

/** What a handler returns; the server writes it. `binary` replaces the JSON body. */
export interface Reply {
	status: number;
	body?: unknown;
	binary?: Buffer;
	contentType?: string;
	headers?: Record<string, string>;
}

/** Marker a handler returns when it has taken over the response itself (the event feed). */
export const STREAMED = Symbol('streamed');
export type HandlerResult = Reply | typeof STREAMED;

export interface MetaExtras {
	pagination?: Pagination | ScrollPagination | AfterPagination;
	poweredBy?: string;
	writes?: { resources_affected: number };
}

export function meta(req: Pick<ApiRequest, 'traceId' | 'startedAt'>, extras: MetaExtras = {}): Record<string, unknown> {
	const m: Record<string, unknown> = {
		query_time: Number(((Date.now() - req.startedAt) / 1000).toFixed(6)) || 0.000001,
		trace_id: req.traceId,
	};
	if (extras.poweredBy) m.powered_by = extras.poweredBy;
	if (extras.pagination) m.pagination = extras.pagination;
	if (extras.writes) m.writes = extras.writes;
	return m;
}

/** The usual `{meta, resources, errors}` body. */
export function envelope(
	req: Pick<ApiRequest, 'traceId' | 'startedAt'>,
	status: number,
	resources: unknown,
	extras: MetaExtras & { errors?: ErrorEntry[]; top?: Record<string, unknown> } = {},
): Reply {
	return {
		status,
		body: { meta: meta(req, extras), ...(extras.top ?? {}), resources, errors: extras.errors ?? [] },
	};
}

/** `{meta, errors}` without resources (MsaReplyMetaOnly): 429s, deletes, refresh. */
export function metaOnly(
	req: Pick<ApiRequest, 'traceId' | 'startedAt'>,
	status: number,
	errors: ErrorEntry[] = [],
	extras: MetaExtras = {},
): Reply {
	return { status, body: { meta: meta(req, extras), errors } };
}

export function errorEnvelope(
	req: Pick<ApiRequest, 'traceId' | 'startedAt'>,
	status: number,
	errors: ErrorEntry[],
	poweredBy?: string,
): Reply {
	return envelope(req, status, [], { errors, poweredBy });
}
