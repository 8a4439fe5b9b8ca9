import type { IDataObject } from 'n8n-workflow';
import { ObservableObject } from 'n8n-workflow';

import type { ReceivedEvent, StreamEvent } from '../../../nodes/CrowdStrikeFalcon/shared/stream/events';
import { StreamHealth } from '../../../nodes/CrowdStrikeFalcon/shared/stream/health';
import { isoTime } from '../../../nodes/CrowdStrikeFalcon/shared/stream/isoTime';
import { StoredPosition } from '../../../nodes/CrowdStrikeFalcon/shared/stream/positions';

const event = (partition: number, offset: number, createdMs: number): ReceivedEvent => ({
	partition,
	offset,
	data: { metadata: { offset, eventCreationTime: createdMs }, event: {} } as StreamEvent,
});

type Tracked = IDataObject & { __dataChanged?: boolean };

/** Static data as n8n hands it to a trigger after a restart: loaded from the database, inside its proxies. */
function loadedStaticData(stored: IDataObject): { root: Tracked; node: IDataObject } {
	const root = ObservableObject.create(structuredClone(stored), undefined, { ignoreEmptyOnFirstChild: true }) as Tracked;
	return { root, node: root['node:Falcon Trigger'] as IDataObject };
}

const stored = {
	'node:Falcon Trigger': {
		offsets: { '0': 41 },
		health: {
			appId: 'n8nold',
			partitions: { '0': { readPosition: 42, committedOffset: 41, reconnects: 3, connectedAt: '2026-01-01T00:00:00.000Z' } },
			executions: { started: 9 },
		},
	},
};

describe('StreamHealth', () => {
	it('keeps the previous activation\'s partitions and starts its counters afresh', () => {
		const { node } = loadedStaticData(stored);
		const health = new StreamHealth(node.health as IDataObject, 'n8nnew');
		const record = node.health as IDataObject;
		expect(record.appId).toBe('n8nnew');
		expect((record.partitions as IDataObject)['0']).toMatchObject({ readPosition: 42, committedOffset: 41, reconnects: 3 });
		expect(record.executions).toEqual({ started: 0, finished: 0, skippedRepeats: 0, inFlight: 0 });
		expect(health.partition(0).reconnects).toBe(3);
	});

	it('writes per-event facts into plain objects: after a restart they go through none of n8n\'s proxies', () => {
		const { root, node } = loadedStaticData(stored);
		const health = new StreamHealth(node.health as IDataObject, 'n8nnew');
		root.__dataChanged = false;
		const now = Date.parse('2026-03-04T05:06:07.890Z');
		for (let offset = 42; offset < 1_042; offset++) {
			health.received(event(0, offset, now - 2_500), now);
			health.count('executions', 'started');
			health.setInFlight(offset % 5);
		}
		// Had any of those writes reached a proxy, n8n would have flagged its static data as changed.
		expect(root.__dataChanged).toBe(false);
		const record = node.health as IDataObject;
		expect((record.partitions as IDataObject)['0']).toMatchObject({
			readPosition: 1_042,
			lagSeconds: 2.5,
			lastEventAt: '2026-03-04T05:06:07.890Z',
			committedOffset: 41,
		});
		expect(record.executions).toMatchObject({ started: 1_000, inFlight: 1_041 % 5 });
		// The position tells n8n before the next emit, and n8n saves the record with it.
		const position = new StoredPosition(node, [], () => {
			const offsets = node.offsets;
			node.offsets = offsets;
		});
		health.committed(0, 1_041);
		position.commit(0, 1_041);
		position.beforeEmit();
		expect(root.__dataChanged).toBe(true);
		expect(JSON.parse(JSON.stringify(root))['node:Falcon Trigger'].health.partitions['0'].committedOffset).toBe(1_041);
	});

	it('gives items the partition\'s position, lag and emit time, and whose stream it is', () => {
		const record: IDataObject = {};
		const health = new StreamHealth(record, 'n8nApp');
		health.partition(1).committedOffset = 6;
		const now = Date.parse('2026-03-04T05:06:07.000Z');
		expect(health.itemInfo(event(1, 7, now - 1_250), now)).toEqual({
			partition: 1,
			offset: 7,
			appId: 'n8nApp',
			committedOffset: 6,
			lagSeconds: 1.3,
			emittedAt: '2026-03-04T05:06:07.000Z',
			cid: null,
			childName: null,
		});
		health.describeTenant('0123456789abcdef0123456789abcdef', 'Acme');
		expect(health.itemInfo(event(1, 8, now), now)).toMatchObject({ cid: '0123456789abcdef0123456789abcdef', childName: 'Acme' });
		expect(record).toMatchObject({ cid: '0123456789abcdef0123456789abcdef', childName: 'Acme' });
	});

	it('records connections, refreshes, failures and warnings in the record', () => {
		const record: IDataObject = {};
		const health = new StreamHealth(record, 'n8nApp');
		health.connected(0);
		health.connected(0);
		health.refreshed(0);
		health.failed(0, 'the feed ended (EOF)');
		health.failed(undefined, 'discovery failed');
		health.warn('retired type');
		health.warn('retired type');
		health.count('dropped', 'filtered', 2);
		const partition = (record.partitions as IDataObject)['0'] as IDataObject;
		expect(partition).toMatchObject({ reconnects: 1, lastError: 'the feed ended (EOF)' });
		expect(partition.connectedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(partition.lastRefreshAt).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(record).toMatchObject({ lastError: 'discovery failed', warnings: ['retired type'], dropped: { filtered: 2, unreadable: 0 } });
	});
});

describe('isoTime', () => {
	it('is toISOString, formatted once per distinct millisecond', () => {
		for (const ms of [0, 1, 1, 1_700_000_000_123, 1_700_000_000_124, 1_700_000_000_123]) {
			expect(isoTime(ms)).toBe(new Date(ms).toISOString());
		}
		expect(isoTime(5)).toBe(isoTime(5));
	});
});

describe('StoredPosition', () => {
	it('copies what n8n loaded once, then writes in place, past n8n\'s proxies, and tells n8n once per emit', () => {
		const { root, node } = loadedStaticData(stored);
		const openBatches: string[] = [];
		let told = 0;
		const position = new StoredPosition(node, openBatches, () => told++);
		const offsets = node.offsets;
		expect(offsets).toEqual({ '0': 41 });
		root.__dataChanged = false;
		for (let offset = 42; offset < 1_042; offset++) position.commit(offset % 2, offset);
		openBatches.push('0:1042-1042');
		expect(root.__dataChanged).toBe(false);
		expect(node.offsets).toBe(offsets);
		expect(told).toBe(1);
		position.beforeEmit();
		expect(told).toBe(2);
		expect(JSON.parse(JSON.stringify(root))['node:Falcon Trigger']).toMatchObject({
			offsets: { '0': 1_040, '1': 1_041 },
			openBatches: ['0:1042-1042'],
		});
	});
});
