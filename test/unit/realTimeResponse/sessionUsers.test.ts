import { useSession } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/shared/sessionUsers';

// Falcon hands every caller of one API client the same session on a host: executions here that share it count
// each other, and the session goes only with the last of them.
describe('executions sharing a session', () => {
	it('alone: the session is deleted when it ends, unless kept or found open before the run', () => {
		expect(useSession('s-alone', false, false).end()).toBe(true);
		expect(useSession('s-kept', true, false).end()).toBe(false);
		expect(useSession('s-older', false, true).end()).toBe(false);
	});

	it('the last to end deletes it; the first leaves it to the others', () => {
		const first = useSession('S-1', false, false);
		// Session IDs are compared without case.
		const second = useSession('s-1', false, false);
		expect([first.shared, second.shared]).toEqual([false, true]);
		expect(first.end()).toBe(false);
		// Ending twice counts once.
		expect(first.end()).toBe(false);
		expect(second.end()).toBe(true);
		// Nothing is left of them: the next use is alone again.
		expect(useSession('s-1', false, false).shared).toBe(false);
	});

	it('kept when any of them must keep it (Keep Session, Use Session ID, a command queued offline)', () => {
		const opener = useSession('s-2', false, false);
		const byId = useSession('s-2', true, false);
		expect(opener.end()).toBe(false);
		expect(byId.end()).toBe(false);

		const plain = useSession('s-3', false, false);
		const queued = useSession('s-3', false, false);
		queued.keep();
		expect(queued.end()).toBe(false);
		expect(plain.end()).toBe(false);
	});

	it('a joiner that finds the session older than its run does not keep it: the execution here that opened it explains its age', () => {
		const opener = useSession('s-4', false, false);
		const joiner = useSession('s-4', false, true);
		expect(opener.end()).toBe(false);
		expect(joiner.end()).toBe(true);
	});
});
