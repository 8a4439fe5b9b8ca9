import { integerBetween, numberGiven, positiveInteger } from '../../../nodes/CrowdStrikeFalcon/shared/engine/rules';

describe('numbers as given', () => {
	it.each([
		[5, 5],
		[' 5 ', 5],
		['+5', 5],
		['5.0', 5],
		['1e3', 1000],
		['1E3', 1000],
		['.5', 0.5],
		// What some expressions hand over.
		[new Number(7), 7],
	])('%j reads as %d', (value, expected) => {
		expect(numberGiven(value)).toBe(expected);
	});

	it.each([true, [5], '0x10', '1,000', '', ' ', null, undefined, {}, '5 apples'])('%j is no number', (value) => {
		expect(numberGiven(value)).toBeNaN();
	});

	it('the rules read numbers so', () => {
		expect(positiveInteger('1e2')).toBeUndefined();
		expect(positiveInteger(true)).toBe('must be a positive whole number (got true)');
		expect(integerBetween(1, 10)([5])).toBe('must be a whole number from 1 to 10 (got [5])');
	});
});
