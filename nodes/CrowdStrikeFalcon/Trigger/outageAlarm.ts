/**
 * Turns a run of transient failures into one alert per outage: reconnecting is the trigger's job, but a SOC must
 * learn when the stream has been down for long (an n8n error workflow fires on the recorded failure).
 */
export class OutageAlarm {
	private downSince: number | undefined;
	private alerted = false;

	constructor(
		private readonly afterMs: number,
		private readonly alert: (downForMs: number, reason: string) => void,
	) {}

	failed(reason: string, now = Date.now()): void {
		this.downSince ??= now;
		const downFor = now - this.downSince;
		if (this.afterMs > 0 && !this.alerted && downFor >= this.afterMs) {
			this.alerted = true;
			this.alert(downFor, reason);
		}
	}

	recovered(): void {
		this.downSince = undefined;
		this.alerted = false;
	}
}
