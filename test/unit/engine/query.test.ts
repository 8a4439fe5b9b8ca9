import { fqlEquals, fqlString } from '../../../nodes/CrowdStrikeFalcon/shared/descriptions/query';

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
