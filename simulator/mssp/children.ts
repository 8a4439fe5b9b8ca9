import { Random } from '../random';

/** One child tenant of the parent client, as `startSimulator({ children: [...] })` takes it. */
export interface ChildOption {
	/** 32 hex digits (any case; a `-XX` checksum is dropped). Default: drawn from the seed. */
	cid?: string;
	/** Default: a seeded company name. */
	name?: string;
	/** `status` of the child link. Default `active` (the value PSFalcon's samples filter on). */
	status?: string;
	/** Generated events per second on this child's stream. Default: the `childEventsPerSecond` option (0). */
	eventsPerSecond?: number;
}

/** A child link as Falcon's getChildren returns it (GOF `domain.ChildLink`). */
export interface ChildLink {
	child_cid: string;
	child_gcid: string;
	child_of: string;
	checksum: string;
	domains: string[];
	name: string;
	status: string;
}

/** A child link plus what the query endpoint sorts on and how busy its stream is (not part of the entity). */
export interface ChildRecord extends ChildLink {
	last_modified_timestamp: string;
	eventsPerSecond: number;
}

export const DEFAULT_CHILD_COUNT = 3;

const NAMES = [
	'Northwind Traders',
	'Contoso Health',
	'Fabrikam Retail',
	'Tailspin Logistics',
	'Woodgrove Finance',
	'Adventure Works',
	'Litware Energy',
	'Proseware Media',
];
const DAY_MS = 86_400_000;

/** The children a parent manages: `count` seeded ones, or the given list with seeded defaults filled in. */
export function buildChildren(
	seed: number,
	parentCid: string,
	option: number | ChildOption[],
	eventsPerSecond = 0,
): ChildRecord[] {
	const specs =
		typeof option === 'number' ? Array.from({ length: Math.max(0, option) }, () => ({})) : option;
	return specs.map((spec, index) =>
		childRecord(seed, parentCid, { eventsPerSecond, ...spec }, index),
	);
}

/** A child enrolled on its first token (`acceptAnyMemberCid`), named after its CID. */
export function enrolledChild(
	seed: number,
	parentCid: string,
	cid: string,
	eventsPerSecond: number,
): ChildRecord {
	return childRecord(
		seed,
		parentCid,
		{ cid, name: `Child ${cid.slice(0, 8)}`, eventsPerSecond },
		0,
	);
}

function childRecord(
	seed: number,
	parentCid: string,
	spec: ChildOption,
	index: number,
): ChildRecord {
	const random = new Random(seed, `child:${index}:${spec.cid ?? ''}`);
	const cid = (spec.cid ?? random.hex(32)).split('-')[0].toLowerCase();
	if (!/^[0-9a-f]{32}$/.test(cid))
		throw new Error(`child CID must be 32 hexadecimal characters (got '${spec.cid}')`);
	return {
		child_cid: cid,
		child_gcid: random.hex(32),
		child_of: parentCid.toLowerCase(),
		checksum: random.hex(2).toUpperCase(),
		domains: [],
		name: spec.name ?? NAMES[index % NAMES.length],
		status: spec.status ?? 'active',
		last_modified_timestamp: new Date(Date.now() - random.int(1, 400) * DAY_MS).toISOString(),
		eventsPerSecond: spec.eventsPerSecond ?? 0,
	};
}

export function linkOf(record: ChildRecord): ChildLink {
	return {
		child_cid: record.child_cid,
		child_gcid: record.child_gcid,
		child_of: record.child_of,
		checksum: record.checksum,
		domains: [...record.domains],
		name: record.name,
		status: record.status,
	};
}
