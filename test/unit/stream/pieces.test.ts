/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the test counts the listeners on a signal */
import { getEventListeners } from 'node:events';

import { appIdProblem, derivedAppId, temporaryAppId, testAppId } from '../../../nodes/CrowdStrikeFalcon/shared/stream/appId';
import { backoffDelay } from '../../../nodes/CrowdStrikeFalcon/shared/stream/backoff';
import { CommitTracker } from '../../../nodes/CrowdStrikeFalcon/shared/stream/commitTracker';
import { resolveEventTypes } from '../../../nodes/CrowdStrikeFalcon/shared/stream/eventTypes';
import { rejectionOf, severityRank } from '../../../nodes/CrowdStrikeFalcon/shared/stream/filters';
import { InFlightWindow } from '../../../nodes/CrowdStrikeFalcon/shared/stream/inFlightWindow';
import { readCommittedOffsets } from '../../../nodes/CrowdStrikeFalcon/shared/stream/positions';
import type { IDataObject } from 'n8n-workflow';
import type { StreamEvent } from '../../../nodes/CrowdStrikeFalcon/shared/stream/events';

describe('App IDs', () => {
	it('derives a stable, valid App ID per workflow and node', () => {
		const a = derivedAppId('hX3kP9mQ2rT5vW8y', '5f0e0a3c-2b1d-4c6e-9f8a-7b6c5d4e3f2a');
		expect(a).toMatch(/^[A-Za-z0-9]{1,32}$/);
		expect(a).toBe(derivedAppId('hX3kP9mQ2rT5vW8y', '5f0e0a3c-2b1d-4c6e-9f8a-7b6c5d4e3f2a'));
		expect(a.startsWith('n8nhX3kP9mQ2rT5vW8y')).toBe(true);
		expect(derivedAppId('hX3kP9mQ2rT5vW8y', 'another-node')).not.toBe(a);
		expect(derivedAppId('other-workflow', '5f0e0a3c-2b1d-4c6e-9f8a-7b6c5d4e3f2a')).not.toBe(a);
		expect(derivedAppId(undefined, 'n')).toMatch(/^[A-Za-z0-9]{1,32}$/);
		expect(derivedAppId('a-very-long-workflow-id-with-dashes-0123456789', 'n')).toHaveLength(29);
	});

	it('gives test runs and bounded reads their own valid App IDs', () => {
		const active = 'n8nabcdefghijklmnop0123456789AB';
		const test = testAppId(active);
		expect(test).toMatch(/^[A-Za-z0-9]{1,32}$/);
		expect(test).not.toBe(active);
		expect(temporaryAppId()).toMatch(/^n8nread[A-Za-z0-9]{16}$/);
	});

	it('validates user App IDs like Falcon does', () => {
		expect(appIdProblem('SocContainment01')).toBeUndefined();
		expect(appIdProblem('fig-default-app-id')).toMatch(/letters/);
		expect(appIdProblem('x'.repeat(33))).toMatch(/32/);
		expect(appIdProblem('')).toBeDefined();
	});
});

describe('backoffDelay', () => {
	it('grows exponentially to the cap, with half the window random', () => {
		const policy = { initialMs: 1000, maxMs: 8000 };
		expect(backoffDelay(0, policy, () => 0)).toBe(500);
		expect(backoffDelay(0, policy, () => 1)).toBe(1000);
		expect(backoffDelay(3, policy, () => 0)).toBe(4000);
		expect(backoffDelay(10, policy, () => 1)).toBe(8000);
	});
});

describe('CommitTracker', () => {
	it('commits only the contiguous finished prefix, whatever order executions finish in', () => {
		const tracker = new CommitTracker(9);
		tracker.begin(10);
		tracker.begin(11);
		tracker.begin(12);
		expect(tracker.complete(12)).toBe(false);
		expect(tracker.committed).toBe(9);
		expect(tracker.complete(10)).toBe(true);
		expect(tracker.committed).toBe(10);
		tracker.complete(11);
		expect(tracker.committed).toBe(12);
		expect(tracker.inFlight).toBe(0);
	});

	it('commits filtered events in order and collapses them', () => {
		const tracker = new CommitTracker();
		tracker.begin(1);
		for (let offset = 2; offset < 10_000; offset++) tracker.skip(offset);
		expect(tracker.committed).toBeUndefined();
		expect(tracker.entryCount).toBe(2);
		tracker.complete(1);
		expect(tracker.committed).toBe(9_999);
		tracker.skip(10_000);
		expect(tracker.committed).toBe(10_000);
	});
});

describe('InFlightWindow', () => {
	it('makes the next acquire wait until a slot is released', async () => {
		const window = new InFlightWindow(1);
		await window.acquire();
		let acquired = false;
		const second = window.acquire().then(() => (acquired = true));
		await Promise.resolve();
		expect(acquired).toBe(false);
		window.release();
		await second;
		expect(acquired).toBe(true);
	});

	it('gives up waiting when aborted', async () => {
		const window = new InFlightWindow(1);
		await window.acquire();
		const abort = new AbortController();
		const waiting = window.acquire(abort.signal);
		abort.abort(new Error('closed'));
		await expect(waiting).rejects.toThrow('closed');
		window.release();
		expect(window.inFlight).toBe(0);
	});

	it('takes a free slot without waiting, but never ahead of a queued acquire', async () => {
		const window = new InFlightWindow(1);
		expect(window.tryTake()).toBe(true);
		expect(window.tryTake()).toBe(false);
		const queued = window.acquire();
		window.release();
		// The slot is promised to the queued acquire.
		expect(window.tryTake()).toBe(false);
		await queued;
		expect(window.inFlight).toBe(1);
	});

	it('ends every wait at once when its owner closes', async () => {
		const window = new InFlightWindow(1);
		window.take();
		const waits = [window.acquire(), window.acquire()];
		window.cancelWaiting(new Error('closing'));
		for (const wait of waits) await expect(wait).rejects.toThrow('closing');
		expect(window.inFlight).toBe(1);
	});

	it('waits ended by cancelWaiting leave no listener on the signal they were given', async () => {
		const window = new InFlightWindow(1);
		window.take();
		const signal = new AbortController().signal;
		const waits = Array.from({ length: 20 }, () => window.acquire(signal));
		window.cancelWaiting(new Error('closing'));
		for (const wait of waits) await expect(wait).rejects.toThrow('closing');
		expect(getEventListeners(signal, 'abort')).toHaveLength(0);
	});
});

describe('event types', () => {
	it('maps the retired DetectionSummaryEvent to its replacement with a warning', () => {
		const { eventTypes, warnings } = resolveEventTypes(['DetectionSummaryEvent', 'EppDetectionSummaryEvent'], []);
		expect(eventTypes).toEqual(['EppDetectionSummaryEvent']);
		expect(warnings[0]).toMatch(/DetectionSummaryEvent was retired .* EppDetectionSummaryEvent/);
	});

	// What an expression gives the trigger's or Read's Event Types: text, which used to be read letter by letter.
	it('takes text as a list of types, not as letters', () => {
		expect(resolveEventTypes('UserActivityAuditEvent', '').eventTypes).toEqual(['UserActivityAuditEvent']);
		expect(resolveEventTypes('UserActivityAuditEvent, EppDetectionSummaryEvent', 'MyNewEvent').eventTypes).toEqual([
			'UserActivityAuditEvent',
			'EppDetectionSummaryEvent',
			'MyNewEvent',
		]);
	});

	it('keeps custom types and fixes the casing of known ones', () => {
		expect(resolveEventTypes([], [' MyNewEvent ', 'eppdetectionsummaryevent', '']).eventTypes).toEqual([
			'MyNewEvent',
			'EppDetectionSummaryEvent',
		]);
	});
});

describe('client filters', () => {
	const event = (fields: IDataObject, metadata: IDataObject = {}): StreamEvent => ({
		metadata: { offset: 1, eventType: 'EppDetectionSummaryEvent', customerIDString: 'ABC', ...metadata },
		event: fields,
	});

	it('reads severity on both Falcon scales and by name', () => {
		expect(severityRank({ SeverityName: 'High' })).toBe(3);
		expect(severityRank({ Severity: 5 })).toBe(4);
		expect(severityRank({ Severity: 2 })).toBe(1);
		expect(severityRank({ Severity: 70 })).toBe(3);
		expect(severityRank({ Severity: 90 })).toBe(4);
		expect(severityRank({})).toBeUndefined();
	});

	it('drops events below the minimum severity or without one', () => {
		expect(rejectionOf(event({ SeverityName: 'Critical' }), { minSeverity: 'high' })).toBeUndefined();
		expect(rejectionOf(event({ SeverityName: 'Medium' }), { minSeverity: 'high' })).toMatch(/severity/);
		expect(rejectionOf(event({ UserName: 'x' }), { minSeverity: 'low' })).toMatch(/severity/);
	});

	it('matches host names and customer ids', () => {
		expect(rejectionOf(event({ ComputerName: 'FIN-LAPTOP-7' }), { hostname: /^fin-/i })).toBeUndefined();
		expect(rejectionOf(event({ ComputerName: 'HR-1' }), { hostname: /^fin-/i })).toBeDefined();
		expect(rejectionOf(event({}), { customerIds: ['abc'] })).toBeUndefined();
		expect(rejectionOf(event({}), { customerIds: ['def'] })).toBeDefined();
	});
});

describe('readCommittedOffsets', () => {
	it('accepts numbers and numeric strings and ignores the rest', () => {
		const offsets = readCommittedOffsets({ offsets: { '0': 41, '1': '77', '2': 'abc', x: 3, '3': -1 } });
		expect([...offsets]).toEqual([
			[0, 41],
			[1, 77],
		]);
	});
});
