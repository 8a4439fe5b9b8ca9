import { DateTime } from 'luxon';

import { fqlEquals, fqlString, fqlTimestamp } from '../../../nodes/CrowdStrikeFalcon/shared/descriptions/query';
import { epochMs, inTimeZone } from '../../../nodes/CrowdStrikeFalcon/shared/engine/dateTime';
import { dateTime } from '../../../nodes/CrowdStrikeFalcon/shared/engine/rules';

it('quotes FQL values, escaping quotes and backslashes so user text cannot end the string', () => {
	expect(fqlString("it's")).toBe("'it\\'s'");
	expect(fqlString('C:\\Temp')).toBe("'C:\\\\Temp'");
});

it('turns a filter option into a field:value term and leaves an empty option out', () => {
	const { transform, as, joinWith } = fqlEquals('status');
	expect([as, joinWith]).toEqual(['filter', '+']);
	expect(transform?.('valid', {})).toBe("status:'valid'");
	expect(transform?.('', {})).toBeUndefined();
});

describe('a date and time without a zone (the tests run in New York time: jest.config.js)', () => {
	it("is read in the workflow's time zone, summer time included, as n8n's own nodes read its date picker", () => {
		expect(inTimeZone('2030-07-01T00:00:00', 'Asia/Tokyo')).toBe('2030-06-30T15:00:00.000Z');
		expect(inTimeZone('2030-07-01T00:00:00', 'Europe/Berlin')).toBe('2030-06-30T22:00:00.000Z');
		expect(inTimeZone('2030-01-01 00:00', 'Europe/Berlin')).toBe('2029-12-31T23:00:00.000Z');
		expect(inTimeZone('2030-07-01', 'America/Los_Angeles')).toBe('2030-07-01T07:00:00.000Z');
		expect(inTimeZone(' 2030-07-01T00:00:00.250 ', 'UTC')).toBe('2030-07-01T00:00:00.250Z');
	});

	it('leaves a value that names its zone, a number, or text that is no date as it is, for the rules to judge', () => {
		for (const value of ['2030-07-01T00:00:00+02:00', '2030-07-01T00:00:00Z', 1_900_000_000_000, 'next tuesday', '2030-13-45T00:00:00']) {
			expect(inTimeZone(value, 'Asia/Tokyo')).toBe(value);
		}
	});

	it("is read as UTC, never in the server's time zone, where no workflow time zone applied", () => {
		expect(new Date('2030-07-01T00:00:00').toISOString()).toBe('2030-07-01T04:00:00.000Z');
		expect(fqlTimestamp('2030-07-01T00:00:00')).toBe('2030-07-01T00:00:00Z');
		expect(fqlTimestamp('2030-07-01 08:30')).toBe('2030-07-01T08:30:00Z');
		expect(epochMs('2030-07-01T00:00:00.250')).toBe(Date.UTC(2030, 6, 1, 0, 0, 0, 250));
	});

	it('keeps a zone or offset the value names', () => {
		expect(fqlTimestamp('2030-07-01T00:00:00+02:00')).toBe('2030-06-30T22:00:00Z');
		expect(fqlTimestamp('2030-07-01T00:00:00.000Z')).toBe('2030-07-01T00:00:00Z');
		expect(fqlTimestamp(Date.UTC(2030, 0, 2))).toBe('2030-01-02T00:00:00Z');
	});

	it('passes the date rule, and text that is no date does not', () => {
		expect(dateTime('2030-07-01T00:00:00')).toBeUndefined();
		expect(dateTime('next tuesday')).toMatch(/must be an ISO 8601 date and time/);
		// Numbers are milliseconds: seconds (e.g. {{ $now.toSeconds() }}) would be a date in 1970, matching everything.
		expect(dateTime(Date.UTC(2030, 0, 1))).toBeUndefined();
		expect(dateTime(1_893_456_000)).toMatch(/milliseconds since 1970 \(got 1893456000: seconds\?\)/);
		expect(dateTime(Infinity)).toMatch(/must be an ISO 8601 date and time/);
		expect(dateTime(9e15)).toMatch(/must be an ISO 8601 date and time/);
	});

	it('refuses a day the month does not have, which JavaScript and Luxon both roll over to the next month', () => {
		for (const impossible of ['2030-02-30T10:00:00', '2030-02-29', '2030-04-31T00:00:00Z', '2030-02-30 10:00+02:00']) {
			expect(dateTime(impossible)).toMatch(/must be an ISO 8601 date and time/);
			expect(inTimeZone(impossible, 'Europe/Berlin')).toBe(impossible);
		}
		expect(dateTime('2028-02-29T10:00:00')).toBeUndefined();
		expect(inTimeZone('2030-02-28T10:00:00', 'Europe/Berlin')).toBe('2030-02-28T09:00:00.000Z');
	});

	// JavaScript's own parser guesses, in the server's time zone: "Dec 5" is 5 December 2001, "5/6/2030" 6 May.
	it('takes text only as ISO 8601, and dates from expressions by their instant', () => {
		for (const loose of ['Dec 5', '1', '5/6/2030', '31/12/2030', 'Mon, 06 May 2030 10:00:00', 'May 6 2030 10:00 GMT']) {
			expect(dateTime(loose)).toMatch(/must be an ISO 8601 date and time/);
		}
		for (const iso of ['2030-05-06', '2030-05-06 10:00', '2030-05-06T10:00:00.5Z', '2030-05-06t10:00:00z', '2030-05-06T10:00+02:00', '2030-05-06T10:00+0200']) {
			expect(dateTime(iso)).toBeUndefined();
		}
		// What Luxon's toSQL(), toRFC2822() and toHTTP() write: each names its zone.
		const at = DateTime.fromISO('2030-05-06T10:00:00.123+02:00', { setZone: true });
		for (const text of [at.toSQL()!, at.toISO()!]) expect([text, epochMs(text)]).toEqual([text, at.toMillis()]);
		// These two have whole seconds.
		for (const text of [at.toRFC2822()!, at.toHTTP()!]) expect([text, epochMs(text)]).toEqual([text, at.startOf('second').toMillis()]);
		expect(epochMs('2030-05-06T10:00:00+02:00')).toBe(Date.UTC(2030, 4, 6, 8));
		expect(epochMs(DateTime.fromISO('2030-05-06T10:00:00', { zone: 'Asia/Tokyo' }))).toBe(Date.UTC(2030, 4, 6, 1));
		expect(epochMs(new Date(Date.UTC(2030, 4, 6)))).toBe(Date.UTC(2030, 4, 6));
	});
});
