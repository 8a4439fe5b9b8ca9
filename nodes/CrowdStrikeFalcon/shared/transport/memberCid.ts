import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationError } from './failures';
import { currentItemOf } from './itemScope';
import { FalconTokenError } from './token';

/** Where action nodes keep their Member CID: option `memberCid` of the node-level `tenant` collection. */
export const TENANT_COLLECTION = 'tenant';
export const MEMBER_CID_OPTION = 'memberCid';
export const MEMBER_CID_PARAMETER = `${TENANT_COLLECTION}.${MEMBER_CID_OPTION}`;
const LABEL = 'Tenant > Member CID';

/** 32 hex digits, optionally with the `-XX` checksum the Falcon console shows after a CID. */
const CID = /^([0-9a-f]{32})(-[0-9a-f]{2})?$/i;

/** The CID as Falcon's token endpoint takes it (lower case, without checksum); undefined when malformed. */
export function normaliseCid(value: string): string | undefined {
	const match = CID.exec(value.trim());
	return match ? match[1].toLowerCase() : undefined;
}

/**
 * The credential's Member CID as the token endpoint takes it, '' for the API client's own tenant. Checked before
 * the token request, as the node-level field is: a typo would otherwise come back as Falcon's bare refusal.
 */
export function credentialMemberCid(credentials: { memberCid?: unknown }): string {
	const raw = text(credentials.memberCid);
	if (raw === '') return '';
	const cid = normaliseCid(raw);
	if (cid) return cid;
	throw new FalconTokenError(
		`The credential's Member CID must be a CID of 32 hexadecimal characters, optionally with its -XX checksum (got ${shapeOf(raw)}); nothing was sent to Falcon`,
	);
}

/**
 * What a credential value that is not a CID looks like, without the value: a client secret pasted into the
 * wrong field must not reach an execution's error.
 */
function shapeOf(raw: string): string {
	const hexadecimal = /^[0-9a-f-]*$/i.test(raw);
	return `${raw.length} characters${hexadecimal ? '' : ', not all hexadecimal'}`;
}

interface ParameterReader {
	getNode(): INode;
	getNodeParameter?: (...args: never[]) => unknown;
	getInputData?: unknown;
}

/**
 * The member CID a request acts on: `given` when the caller names one, else the node's Member CID for the
 * request's item (or the item being run); '' is the credential's own tenant. Nodes without the field (the trigger)
 * and contexts without items (the host picker) read the node-level value. Throws, naming the field, when the
 * value is not a CID, or when an expression gives no value: acting on the credential's tenant instead of the
 * child the expression was meant to name could contain a same-named host elsewhere.
 */
export function memberCidFor(context: ParameterReader, itemIndex?: number, given?: string): string {
	const index = itemIndex ?? currentItemOf(context);
	const raw = given !== undefined ? text(given) : readValue(context, index);
	if (raw === '') return '';
	const cid = normaliseCid(raw);
	if (cid) return cid;
	throw operationError(
		context.getNode(),
		`Invalid "${LABEL}": must be a CID of 32 hexadecimal characters, optionally with its -XX checksum (got ${JSON.stringify(raw)})`,
		{
			itemIndex: index,
			description: `Nothing was sent to Falcon. Fix "${LABEL}" (for example from Flight Control > Child > Get Many: child_cid) or leave it empty to act on the credential's own tenant.`,
		},
	);
}

function readValue(context: ParameterReader, itemIndex: number | undefined): string {
	const read = context.getNodeParameter as ((...args: unknown[]) => unknown) | undefined;
	if (typeof read !== 'function') return '';
	// Execute contexts read per item; trigger and load-options contexts have one value for the node.
	const perItem = typeof context.getInputData === 'function';
	const at = perItem ? [MEMBER_CID_PARAMETER, itemIndex ?? 0] : [MEMBER_CID_PARAMETER];
	const written = read.call(context, ...at, '', { rawExpressions: true });
	if (!(typeof written === 'string' && written.startsWith('='))) return text(written);
	const evaluate = () => text(read.call(context, ...at, ''));
	let value: string;
	if (perItem) {
		value = evaluate();
	} else {
		try {
			value = evaluate();
		} catch {
			throw notInEditor(context);
		}
	}
	if (value !== '') return value;
	if (!perItem) throw notInEditor(context);
	throw operationError(context.getNode(), `"${LABEL}" is empty for this item`, {
		itemIndex,
		description: `Nothing was sent to Falcon. Its expression gave no value (does the item carry the CID?). Leave "${LABEL}" empty to act on the credential's own tenant.`,
	});
}

function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

function notInEditor(context: ParameterReader): NodeOperationError {
	return operationError(context.getNode(), `"${LABEL}" cannot be evaluated here`, {
		description:
			'Lists in the editor (e.g. the host picker) run without input items, so an expression such as {{ $json.cid }} has no value there. Pick the host By ID or By Hostname, or type the CID itself while you pick.',
	});
}
