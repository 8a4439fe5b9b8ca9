import type { IDataObject, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { StoredPosition } from '../../../nodes/CrowdStrikeFalcon/shared/stream/positions';
import {
	adoptCredentialTenant,
	childTenantStore,
	forgetLeftChildren,
	KEEP_LEFT_CHILD_MS,
	ownTenantStore,
	type TenantStore,
	type TriggerState,
} from '../../../nodes/CrowdStrikeFalcon/Trigger/tenantState';
import { TestNodeTypes } from '../../harness/nodeTypes';

const CHILD_A = '0123456789abcdef0123456789abcdef';
const CHILD_B = 'fedcba9876543210fedcba9876543210';
const node: INode = {
	id: 'n1',
	name: 'Falcon Trigger',
	type: 'n8n-nodes-crowdstrike-falcon.crowdStrikeFalconTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** The node's static data as n8n hands it to a trigger, loaded from what n8n had stored. */
function loaded(stored: IDataObject = {}) {
	const workflow = new Workflow({ id: 'w1', nodes: [node], connections: {}, nodeTypes: new TestNodeTypes(), active: true, staticData: stored });
	const root = workflow.staticData as IDataObject & { __dataChanged: boolean };
	return { state: workflow.getStaticData('node', node) as TriggerState, root, saved: () => JSON.parse(JSON.stringify(root)) as IDataObject };
}

/** The tenant's position as its follower keeps it. */
const positionOf = (store: TenantStore) => new StoredPosition(store.state, [], () => store.changed());

it("keeps the credential tenant's position at the top level, where single-tenant versions stored it", () => {
	const { state, root } = loaded({ 'node:Falcon Trigger': { offsets: { '0': 7 }, epoch: 'old1' } });
	const store = ownTenantStore(state);
	expect(store.state).toBe(state);
	const position = positionOf(store);
	root.__dataChanged = false;
	position.commit(0, 8);
	// Written in place, unseen by n8n until the next emit...
	expect(root.__dataChanged).toBe(false);
	expect(state.offsets).toEqual({ '0': 8 });
	// ...which tells n8n to save it.
	position.beforeEmit();
	expect(root.__dataChanged).toBe(true);
});

it('stores each child under tenants[cid], and n8n notices writes to a child created after loading', () => {
	const { state, root, saved } = loaded();
	const a = childTenantStore(state, CHILD_A);
	const positionA = positionOf(a);
	root.__dataChanged = false;
	// A write inside an object created after loading is invisible to n8n on its own...
	positionA.commit(0, 3);
	expect(root.__dataChanged).toBe(false);
	// ...changed() makes n8n save it.
	a.changed();
	expect(root.__dataChanged).toBe(true);
	const b = childTenantStore(state, CHILD_B);
	positionOf(b).commit(1, 9);
	b.changed();
	expect(saved()).toEqual({
		'node:Falcon Trigger': {
			tenants: { [CHILD_A]: { offsets: { '0': 3 }, openBatches: [] }, [CHILD_B]: { offsets: { '1': 9 }, openBatches: [] } },
		},
	});
	// A child's slice stays the same object however often the map is replaced.
	positionA.commit(0, 4);
	a.changed();
	expect(((state.tenants as IDataObject)[CHILD_A] as IDataObject).offsets).toEqual({ '0': 4 });
});

it('finds a child stored by an earlier activation, and leaves the other tenants alone', () => {
	const { state, root } = loaded({
		'node:Falcon Trigger': { offsets: { '0': 1 }, tenants: { [CHILD_A]: { offsets: { '0': 5 }, epoch: 'e1' } } },
	});
	const a = childTenantStore(state, CHILD_A);
	expect(a.state).toMatchObject({ offsets: { '0': 5 }, epoch: 'e1' });
	const position = positionOf(a);
	root.__dataChanged = false;
	position.commit(0, 6);
	position.beforeEmit();
	expect(root.__dataChanged).toBe(true);
	expect(state.offsets).toEqual({ '0': 1 });
});

it('drops a child left for longer than it is kept, stamps one just left, and unstamps one followed again', () => {
	const CHILD_C = 'c'.repeat(32);
	const DAY = 24 * 60 * 60_000;
	const { state, root, saved } = loaded({
		'node:Falcon Trigger': {
			offsets: { '0': 1 },
			tenants: {
				[CHILD_A]: { offsets: { '0': 5 } },
				[CHILD_B]: { offsets: { '0': 6 }, leftAt: 1_000 },
				[CHILD_C]: { offsets: { '0': 7 } },
			},
		},
	});
	const now = 1_000 + KEEP_LEFT_CHILD_MS - DAY;
	root.__dataChanged = false;
	// A followed, B left a while ago, C no longer followed.
	forgetLeftChildren(state, new Set([CHILD_A]), now);
	expect(root.__dataChanged).toBe(true);
	expect(saved()).toEqual({
		'node:Falcon Trigger': {
			offsets: { '0': 1 },
			tenants: {
				[CHILD_A]: { offsets: { '0': 5 } },
				[CHILD_B]: { offsets: { '0': 6 }, leftAt: 1_000 },
				[CHILD_C]: { offsets: { '0': 7 }, leftAt: now },
			},
		},
	});

	// A day later B has been left for the whole period: dropped. C, listed again, resumes where it was.
	forgetLeftChildren(state, new Set([CHILD_A, CHILD_C]), now + DAY);
	expect(saved()).toEqual({
		'node:Falcon Trigger': { offsets: { '0': 1 }, tenants: { [CHILD_A]: { offsets: { '0': 5 } }, [CHILD_C]: { offsets: { '0': 7 } } } },
	});
	expect(childTenantStore(state, CHILD_C).state).toEqual({ offsets: { '0': 7 } });

	// Nothing to change: n8n is not told of a change.
	root.__dataChanged = false;
	forgetLeftChildren(state, new Set([CHILD_A, CHILD_C]), now + 2 * DAY);
	expect(root.__dataChanged).toBe(false);
});

describe('the credential acting on another tenant', () => {
	const stored = (extra: IDataObject = {}): TriggerState => ({ credentialTenant: CHILD_A, offsets: { '0': 29 }, openBatches: [], epoch: 'e0', ...extra });

	it('drops the position read in the first tenant, under a new epoch; the same tenant keeps it', () => {
		const same = stored();
		expect(adoptCredentialTenant(same, CHILD_A, undefined)).toBe(false);
		expect(same).toMatchObject({ offsets: { '0': 29 }, epoch: 'e0' });
		const other = stored();
		expect(adoptCredentialTenant(other, CHILD_B, undefined)).toBe(true);
		expect(other).toMatchObject({ credentialTenant: CHILD_B, offsets: {}, openBatches: [] });
		expect(other.epoch).not.toBe('e0');
	});

	it('passes over the explicit start the first tenant had, and applies one set with the edit', () => {
		const applied = stored({ startApplied: 'latest' });
		adoptCredentialTenant(applied, CHILD_B, 'latest');
		expect(applied).toMatchObject({ startPassedOver: 'latest' });
		expect(applied.startApplied).toBeUndefined();
		const setWithTheEdit = stored({ startApplied: 'latest' });
		adoptCredentialTenant(setWithTheEdit, CHILD_B, 'offset:0:');
		expect(setWithTheEdit.startPassedOver).toBeUndefined();
	});

	it('takes a position stored before the tenant was noted for this tenant', () => {
		const older: TriggerState = { offsets: { '0': 29 }, epoch: 'e0' };
		expect(adoptCredentialTenant(older, CHILD_B, undefined)).toBe(false);
		expect(older).toMatchObject({ credentialTenant: CHILD_B, offsets: { '0': 29 }, epoch: 'e0' });
	});
});
