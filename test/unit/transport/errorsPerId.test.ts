import { errorsPerId, idsNamedByErrors } from '../../../nodes/CrowdStrikeFalcon/shared/transport/errorsPerId';

const ALERT = 'cid1:ind:aid1:123-4-567';
const SHORTER = 'cid1:ind:aid1:123-4-56';

describe('errors per ID', () => {
	it.each([
		['its id field', { id: 'ABC123', message: 'refused' }, ['abc123']],
		['its message, followed by punctuation', { message: 'device abc123: offline' }, ['abc123']],
		['its message, in quotes', { message: "device 'abc123' is offline" }, ['abc123']],
		['no ID of the call', { message: 'partial failure' }, []],
		['a longer ID only', { message: `alert ${ALERT} not found` }, [ALERT]],
		['an ID only as part of a composite one', { message: 'alert xyz:abc123 not found' }, []],
	])('an error names the IDs of %s', (_case, error, named) => {
		const ids = ['abc123', 'def456', ALERT, SHORTER];
		expect(idsNamedByErrors({ errors: [error] }, ids)[0].ids).toEqual(named);
	});

	it('an error naming none of the IDs concerns each of them', () => {
		const errorsOf = errorsPerId({ errors: [{ message: 'partial failure' }, { id: 'abc123', message: 'refused' }] }, ['abc123', 'def456']);
		expect(errorsOf('ABC123').map((error) => error.message)).toEqual(['partial failure', 'refused']);
		expect(errorsOf('def456').map((error) => error.message)).toEqual(['partial failure']);
	});
});
