import { forgetKept, markKept, useHost } from '../../../nodes/CrowdStrikeFalcon/RealTimeResponse/shared/sessionUsers';

// Falcon hands every caller of one API client the same session on a host: executions here on one host count each
// other from before they ask for the session, and the session goes only with the last of them.
describe('executions on one host', () => {
	it('alone: the session is deleted when it ends, unless kept or found open before the run', () => {
		const alone = useHost('h-alone');
		alone.settle('s-alone', false, () => false);
		expect(alone.end()).toBe('s-alone');
		const kept = useHost('h-kept');
		kept.settle('s-kept', true, () => false);
		expect(kept.end()).toBeUndefined();
		const older = useHost('h-older');
		older.settle('s-older', false, () => true);
		expect(older.end()).toBeUndefined();
	});

	it('the last to end deletes it; the first leaves it to the others', () => {
		const first = useHost('H-1');
		// Host IDs are compared without case.
		const second = useHost('h-1');
		expect([first.shared, second.shared]).toEqual([false, true]);
		first.settle('s-1', false, () => false);
		second.settle('s-1', false, () => false);
		expect(first.end()).toBeUndefined();
		// Ending twice counts once.
		expect(first.end()).toBeUndefined();
		expect(second.end()).toBe('s-1');
		// Nothing is left of them: the next use is alone again.
		expect(useHost('h-1').shared).toBe(false);
	});

	// One that finishes while another's request for the session is under way must not delete what it gets back.
	it('counts an execution from before its session came, and deletes the session for it if its request failed', () => {
		const running = useHost('h-2');
		running.settle('s-2', false, () => false);
		const asking = useHost('h-2');
		expect(running.end()).toBeUndefined();
		// Its own request failed: as the last one here it deletes the session the other left to it.
		expect(asking.end()).toBe('s-2');
	});

	it('kept when any of them must keep it (Keep Session, Use Session ID, a command queued offline)', () => {
		const opener = useHost('h-3');
		const byId = useHost('h-3');
		opener.settle('s-3', false, () => false);
		byId.settle('s-3', true, () => false);
		expect(opener.end()).toBeUndefined();
		expect(byId.end()).toBeUndefined();

		const plain = useHost('h-4');
		const queued = useHost('h-4');
		plain.settle('s-4', false, () => false);
		queued.settle('s-4', false, () => false);
		queued.keep();
		expect(queued.end()).toBeUndefined();
		expect(plain.end()).toBeUndefined();
	});

	it('a joiner that finds the session older than its run does not keep it: the execution here explains its age', () => {
		const opener = useHost('h-5');
		opener.settle('s-5', false, () => false);
		const joiner = useHost('h-5');
		joiner.settle('s-5', false, () => true);
		expect(opener.end()).toBeUndefined();
		expect(joiner.end()).toBe('s-5');
	});

	it('a session older than the first of them is kept, whichever of them learns it first', () => {
		const now = jest.spyOn(Date, 'now').mockReturnValueOnce(1_000).mockReturnValueOnce(2_000);
		const first = useHost('h-6');
		const second = useHost('h-6');
		now.mockRestore();
		// The second's request answered first, with a session opened before the first started (another workflow's).
		const since: number[] = [];
		second.settle('s-6', false, (time) => {
			since.push(time);
			return true;
		});
		first.settle('s-6', false, () => true);
		expect(second.end()).toBeUndefined();
		expect(first.end()).toBeUndefined();
		// Asked about the first one's start, not the second's.
		expect(since).toEqual([1_000]);
	});

	it('two API clients (or tenants) on one host have a session each: they do not share', () => {
		const a = useHost('h-5', 'client-a');
		const b = useHost('h-5', 'client-b');
		expect([a.shared, b.shared]).toEqual([false, false]);
		a.settle('s-5a', false, () => false);
		b.settle('s-5b', false, () => false);
		expect(a.end()).toBe('s-5a');
		expect(b.end()).toBe('s-5b');
	});

	it('a session kept on purpose here is never deleted by a run it is handed to, until deleted here', () => {
		markKept('S-6');
		const run = useHost('h-6');
		run.settle('s-6', false, () => false);
		expect(run.end()).toBeUndefined();
		forgetKept('s-6');
		const next = useHost('h-6');
		next.settle('s-6', false, () => false);
		expect(next.end()).toBe('s-6');
	});
});
