import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { FalconResponse } from '../transport/envelope';
import type { AgentPermission } from './aiAgent';
import type { PageOptions } from '../transport/pagination';
import type { PreparedRequest } from './request';
import type { Rule } from './rules';

export type ParameterTarget = 'query' | 'body' | 'path';

/** Where one n8n parameter goes in the Falcon request. */
export interface ParameterMapping {
	to: ParameterTarget;
	/** The API's name for it; defaults to the n8n parameter name. */
	as?: string;
	/** Lists in the query string: repeated keys (`ids=a&ids=b`, default) or one comma-joined value. */
	listFormat?: 'repeat' | 'csv';
	/** Turns a present value into the wire value (absent options never get here); `undefined` leaves it out. */
	transform?: (value: unknown, values: IDataObject) => unknown;
	/** Checked before any request is sent; a failure names the field and the rule. */
	rules?: Rule[];
	/** Several parameters mapped to the same name (an FQL filter) are joined with this separator. */
	joinWith?: string;
	/**
	 * The option narrows what the operation acts on (a filter): added, it must not come out empty, since leaving it
	 * out would widen a search to the whole tenant (an expression that found no hostname, then Contain on all hosts).
	 */
	narrows?: boolean;
	/**
	 * Where Falcon's filter is coarser than the value (FQL compares whole seconds): keeps only the records the value
	 * itself matches. Records it refuses do not count towards the Limit.
	 */
	refine?: (value: unknown) => ((record: IDataObject) => boolean) | undefined;
	/**
	 * Looks the mapped value up in Falcon (a hostname -> its host ID). Runs after every item passed its rules and
	 * before this item's request; query and body targets only.
	 */
	resolve?: ValueResolver;
}

export type ValueResolver = (this: IExecuteFunctions, value: unknown, itemIndex: number) => Promise<unknown>;

export interface OperationOutput {
	response: FalconResponse;
	/** Resources collected across pages (and detail look-ups) when the operation paginates. */
	resources: IDataObject[];
	/** The mapped request values, keyed by API name, for outputs that echo them (e.g. deleted ids). */
	sent: IDataObject;
}

/** `resources`: one item per resource; `body`: the whole envelope as one item; or a function of the response. */
export type OutputMode = 'resources' | 'body' | ((output: OperationOutput) => IDataObject[]);

/** `prepared` holds the item's checked and mapped parameters (the router validated them before any request). */
export type OperationRunner = (
	this: IExecuteFunctions,
	itemIndex: number,
	prepared: PreparedRequest,
) => Promise<INodeExecutionData[]>;

/** An input item that passed validation, with its mapped request. */
export interface ValidItem {
	itemIndex: number;
	prepared: PreparedRequest;
}

/**
 * Runs once for all input items, e.g. one RTR batch for every host; returns items with their own pairedItem.
 * Receives only the items that passed validation (the others already became error items under continueOnFail).
 */
export type AllItemsRunner = (
	this: IExecuteFunctions,
	validItems: ValidItem[],
) => Promise<INodeExecutionData[]>;

/** One Falcon operation, declared once: the node's fields and the dispatch are both derived from it. */
export interface FalconOperation {
	/** Stable dropdown value stored in users' workflows. */
	value: string;
	name: string;
	/** Text shown in n8n's actions panel, e.g. "Create an installation token". */
	action: string;
	description: string;
	/** Falcon's operation id for the call this declaration makes (FalconPy naming, e.g. `tokens_create`). */
	operationId: string;
	/** Further Falcon operations the declaration calls on the way (a convenience flow, details look-up). */
	alsoUses?: string[];
	method: IHttpRequestMethods;
	/** API path; `{name}` placeholders are filled from parameters mapped `to: 'path'`. */
	path: string;
	/** Literal n8n fields, without displayOptions for resource/operation (the engine adds those). */
	properties: INodeProperties[];
	/** Keys are parameter names; `collection.option` reaches into a collection. */
	parameters?: Record<string, ParameterMapping>;
	/**
	 * Query endpoints: the engine adds Return All / Limit and walks the pages, by numeric offset (default), by the
	 * opaque `meta.pagination.offset` token scroll endpoints hand back, or by the `after` token of POST queries.
	 */
	paginate?: {
		maxPageSize: number;
		style?: PageOptions['style'];
		idField?: PageOptions['idField'];
		/**
		 * A sort no record's place changes in while the pages are read (e.g. by creation time). Return All walks in
		 * it whatever sort was asked for, then puts the records in the order asked: an `after` cursor skips a record
		 * an update moves ahead of it (sorted by last update), with no sign that it did.
		 */
		steadySort?: string;
	};
	/** The query returns ids; the engine then reads the entities from this path in chunks. */
	details?: {
		operationId: string;
		path: string;
		/** `GET path?ids=…` (default) or `POST path` with `{"ids": […]}` (e.g. RTR's `…/GET/v1` endpoints). */
		method?: 'GET' | 'POST';
		/** The body's list name for POST look-ups; default `ids` (Alerts: `composite_ids`). */
		idsField?: string;
		/** Ids per look-up; default 100 (URL-safe). POST bodies allow more. */
		chunkSize?: number;
		/** The entities' id field (default `id`), to keep the query's order (its sort) in the output. */
		idField?: string;
	};
	/**
	 * A call on ids answered with the entities (a Get by ids, an update): `sentAs` is the mapped id list, `idField`
	 * the entities' id, `what` names them ("host IDs"). An id Falcon does not return fails the item, naming it; the
	 * entities found go out with it under Continue On Fail.
	 */
	entitiesById?: { sentAs: string; idField: string; what: string };
	/**
	 * A call acting on several IDs (a delete, an update) that Falcon refuses whole when some are unknown (a 404, or
	 * one of `refusedWith`, each error naming an ID): the others are acted on with a second call, which the refusal
	 * makes safe, and the unknown ones reach `output` as errors (see sendWithoutUnknownIds; reads by IDs do the same).
	 * `sentAs`: the mapped ID list.
	 */
	actsOnKnownIdsApart?: { sentAs: string; refusedWith?: string[] };
	/** Default: `resources`. */
	output?: OutputMode;
	/**
	 * The output reads Falcon's `errors[]` itself (per ID, per host): a 2xx answer with errors and no resources is an
	 * outcome to report there. Any other operation fails such an answer with Falcon's code, message and trace id.
	 */
	readsErrors?: boolean;
	/** Applied to every resource before it becomes an item. */
	mapResource?: (resource: IDataObject) => IDataObject;
	/** Checks across fields that single-field rules cannot express; return a message naming the fields. */
	validate?: (values: IDataObject) => string | undefined;
	/**
	 * Whether the call is repeated after a 5xx or a dropped connection: reads, deletes (a repeat that finds the
	 * resource gone counts as deleted) and calls Falcon answers the same way twice. Never for calls that act twice.
	 * Stated by every declaration; the README's list of retried calls is checked against it.
	 */
	idempotent: boolean;
	/** API client scopes the operation needs, as the Falcon console names them; a 403 names them. */
	scopes: string[];
	/** Hand-written flow for operations that are more than one call; replaces the default runner. */
	run?: OperationRunner;
	/**
	 * Hand-written flow over all input items at once: run once per tenant (the credential's, or each Member CID), so
	 * one run never mixes children.
	 */
	runForAllItems?: AllItemsRunner;
	/**
	 * The output for a tenant whose run failed as a whole (a child's token refused) while others ran, e.g. one
	 * `failed` item per host: the node then fails only if every tenant failed, and the tenants run at once (each
	 * with its own `this`). Without it, tenants run one after another and a failed one stops the node before the
	 * next runs.
	 */
	failedTenant?: (this: IExecuteFunctions, validItems: ValidItem[], error: Error) => INodeExecutionData[];
	/** Judges the output of every tenant together (RTR's Fail When), once all have run; may throw. */
	judgeAll?: (this: IExecuteFunctions, output: INodeExecutionData[], validItems: ValidItem[]) => INodeExecutionData[];
	/** Output fields an AI agent sees only once the user turned `unless` on (a token's value); see aiAgent.ts. */
	hiddenFromAgent?: { fields: string[]; unless: AgentPermission };
	/**
	 * Output fields left out of the items, so out of the execution data, unless the item's boolean parameter `unless`
	 * is on (a token's value, which installs sensors: a hygiene report has no use for it); see leftOut.ts.
	 */
	leavesOut?: { fields: string[]; unless: string };
	/**
	 * AI agents may call this operation (or, with `when`, this item of it) only once the user turned the
	 * permission's opt-in on, on the tool node; the engine adds the field (see aiAgent.ts and the README).
	 */
	needsAgentPermission?:
		| AgentPermission
		| { permission: AgentPermission; when: (this: IExecuteFunctions, itemIndex: number) => boolean };
}

export interface FalconResource {
	value: string;
	name: string;
	operations: FalconOperation[];
	/** The operation the dropdown opens on; defaults to the first by name. */
	defaultOperation?: string;
}
