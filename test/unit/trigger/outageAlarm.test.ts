import { OutageAlarm } from '../../../nodes/CrowdStrikeFalcon/Trigger/outageAlarm';

function alarm(afterMs = 60_000) {
	const alerts: string[] = [];
	return { alerts, alarm: new OutageAlarm(afterMs, (downForMs, reason) => alerts.push(`${downForMs} ${reason}`)) };
}

describe('outage alarm', () => {
	it('a feed that opens and fails at once, again and again, is one outage: it alerts once it lasted long enough', () => {
		const { alarm: outage, alerts } = alarm();
		for (let second = 0; second <= 70; second += 5) {
			outage.connected(second * 1000);
			outage.failed('the feed failed: ECONNRESET', second * 1000 + 100);
		}
		expect(alerts).toEqual(['60000 the feed failed: ECONNRESET']);
	});

	it('a feed that stayed open a while ends the outage, even without an event (a quiet stream)', () => {
		const { alarm: outage, alerts } = alarm();
		outage.failed('discovery failed', 0);
		outage.connected(1_000);
		outage.failed('the feed went silent past the watchdog', 50_000);
		outage.failed('discovery failed', 100_000);
		expect(alerts).toEqual([]);
		expect(outage.down).toBe(true);
	});

	it('an event ends the outage', () => {
		const { alarm: outage, alerts } = alarm(30_000);
		outage.failed('discovery failed', 0);
		outage.recovered();
		expect(outage.down).toBe(false);
		outage.failed('discovery failed', 59_000);
		outage.failed('discovery failed', 100_000);
		expect(alerts).toEqual(['41000 discovery failed']);
	});
});
