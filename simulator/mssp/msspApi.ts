import { ApiError, bodyObject, optionalStringArray, queryList, type ApiRequest } from '../request';
import { envelope, type ErrorEntry, type Reply } from '../envelope';
import { queryCollection, type FieldSchema } from '../fql';
import type { Route } from '../router';
import { linkOf, type ChildRecord } from './children';

const POWERED_BY = 'mssp-api';
const CHILD_SCHEMA: FieldSchema = {
	child_cid: 'string',
	name: 'string',
	status: 'string',
	last_modified_timestamp: 'date',
};
const MAX_IDS = 500;
const SORTS = ['last_modified_timestamp|asc', 'last_modified_timestamp|desc'];

/**
 * Flight Control (`mssp:read`): queryChildren and getChildren (v1 GET, v2 POST). A token minted for a member CID
 * sees no children: the links belong to the parent.
 */
export class MsspApi {
	constructor(private readonly children: () => ChildRecord[]) {}

	private visible(req: ApiRequest): ChildRecord[] {
		return req.auth?.memberCid ? [] : this.children();
	}

	/** `limit` 1–5000 (default 10), `offset`, `sort` (default newest change first), `filter`: child CIDs. */
	private query(req: ApiRequest): Reply {
		const query = new URLSearchParams(req.query);
		const sort = query.get('sort');
		// The swagger's enum: this endpoint takes neither the dot form other queries take nor another field.
		if (sort && !SORTS.includes(sort)) throw new ApiError(400, `sort must be one of ${SORTS.join(', ')}`);
		if (!sort) query.set('sort', 'last_modified_timestamp|desc');
		const { page, pagination } = queryCollection(this.visible(req), query, {
			schema: CHILD_SCHEMA,
			defaultLimit: 10,
			maxLimit: 5000,
		});
		return envelope(
			req,
			200,
			page.map((child) => child.child_cid),
			{ pagination, poweredBy: POWERED_BY },
		);
	}

	/** Unknown ids come back as 404 entries of a 207 Multi-Status, as getChildren documents 200 and 207 only. */
	private entities(req: ApiRequest, ids: string[]): Reply {
		if (ids.length === 0) throw new ApiError(400, "missing required parameter 'ids'");
		if (ids.length > MAX_IDS) throw new ApiError(400, `at most ${MAX_IDS} ids per request`);
		const visible = this.visible(req);
		const found: ChildRecord[] = [];
		const errors: ErrorEntry[] = [];
		for (const id of ids) {
			const cid = id.split('-')[0].toLowerCase();
			const child = visible.find((candidate) => candidate.child_cid === cid);
			if (child) found.push(child);
			else errors.push({ code: 404, id, message: `child CID not found: ${id}` });
		}
		return envelope(req, errors.length > 0 ? 207 : 200, found.map(linkOf), {
			errors,
			poweredBy: POWERED_BY,
		});
	}

	routes(): Route[] {
		return [
			{
				method: 'GET',
				path: '/mssp/queries/children/v1',
				auth: 'bearer',
				handler: (req) => this.query(req),
			},
			{
				method: 'GET',
				path: '/mssp/entities/children/v1',
				auth: 'bearer',
				handler: (req) => this.entities(req, queryList(req.query, 'ids')),
			},
			{
				method: 'POST',
				path: '/mssp/entities/children/GET/v2',
				auth: 'bearer',
				handler: (req) => this.entities(req, optionalStringArray(bodyObject(req), 'ids') ?? []),
			},
		];
	}
}
