import { childAppId, derivedAppId } from '../../../nodes/CrowdStrikeFalcon/shared/stream/appId';
import { deduplicationKeys } from '../../../nodes/CrowdStrikeFalcon/Trigger/deduplicationKey';
import { readTenantSelection } from '../../../nodes/CrowdStrikeFalcon/Trigger/tenantSelection';

const CHILD_A = '0123456789abcdef0123456789abcdef';
const CHILD_B = 'fedcba9876543210fedcba9876543210';
const invalid = (field: string, problem: string) => new Error(`Invalid "${field}": ${problem}`);

describe('Tenants', () => {
	it("follows the credential's tenant unless children are chosen", () => {
		expect(readTenantSelection(undefined, undefined, {}, invalid)).toEqual({ kind: 'credential' });
		expect(readTenantSelection('credential', 'ignored', {}, invalid)).toEqual({ kind: 'credential' });
	});

	it('reads listed children as the console shows them, once each, and refreshes every 15 minutes by default', () => {
		expect(readTenantSelection('childList', ` ${CHILD_A.toUpperCase()}-4A, ${CHILD_B};${CHILD_A}`, {}, invalid)).toEqual({
			kind: 'childList',
			cids: [CHILD_A, CHILD_B],
			refreshMs: 15 * 60_000,
		});
		expect(readTenantSelection('childList', [CHILD_B], { childListRefreshMinutes: 0.5 }, invalid)).toEqual({
			kind: 'childList',
			cids: [CHILD_B],
			refreshMs: 30_000,
		});
		expect(readTenantSelection('allChildren', undefined, {}, invalid)).toEqual({ kind: 'allChildren', refreshMs: 900_000 });
	});

	it('rejects what is not a CID, an empty list and a refresh of 0, naming the field', () => {
		expect(() => readTenantSelection('childList', `${CHILD_A}, not-a-cid`, {}, invalid)).toThrow(
			'Invalid "Child CIDs": "not-a-cid" is not a CID',
		);
		expect(() => readTenantSelection('childList', ' , ', {}, invalid)).toThrow('Invalid "Child CIDs": must name at least one');
		expect(() => readTenantSelection('allChildren', undefined, { childListRefreshMinutes: 0 }, invalid)).toThrow(
			'Invalid "Child List Refresh (Minutes)"',
		);
	});

	it.each([true, [5], '0x10'])('rejects a refresh of %p from an expression, which Number() would read as minutes', (minutes) => {
		expect(() => readTenantSelection('allChildren', undefined, { childListRefreshMinutes: minutes }, invalid)).toThrow(
			'Invalid "Child List Refresh (Minutes)": must be more than 0',
		);
	});
});

describe('per-child names', () => {
	it('gives every child its own valid, stable App ID', () => {
		const base = derivedAppId('wf1234567890abcdef', 'node-1');
		const a = childAppId(base, CHILD_A);
		expect(a).toMatch(/^[A-Za-z0-9]{1,32}$/);
		expect(a).toBe(childAppId(base, CHILD_A));
		expect(childAppId(base, CHILD_B)).not.toBe(a);
		expect(childAppId('x'.repeat(32), CHILD_A)).toHaveLength(32);
	});

	it("names the child in its execution keys, and keeps the credential tenant's keys as they were", () => {
		expect(deduplicationKeys('wf1', 'n1', 'ep1')('0:5-9')).toBe(`falcon:${derivedAppId('wf1', 'n1')}:ep1:0:5-9`);
		const a = deduplicationKeys('wf1', 'n1', 'ep1', CHILD_A)('0:5-9');
		expect(a).toBe(`falcon:${derivedAppId('wf1', 'n1')}:${CHILD_A}:ep1:0:5-9`);
		expect(deduplicationKeys('wf1', 'n1', 'ep1', CHILD_B)('0:5-9')).not.toBe(a);
		const many = Array.from({ length: 60 }, (_, partition) => `${partition}:100-200`).join(',');
		const long = deduplicationKeys('wf1', 'n1', 'ep1', CHILD_A)(many);
		expect(long.length).toBeLessThanOrEqual(255);
		expect(long).toContain(CHILD_A);
	});
});
