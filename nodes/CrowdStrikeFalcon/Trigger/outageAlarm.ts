import { HEALTHY_ROUND_MS } from '../shared/stream/consumer';

/**
 * Turns a run of transient failures into one alert per outage: reconnecting is the trigger's job, but a SOC must
 * learn when the stream has been down for long (an n8n error workflow fires on the recorded failure). The outage
 * ends with an event, or with a feed that stayed open a while (a quiet stream): a feed that opens and fails at once,
 * again and again, is one outage going on.
 */
export class OutageAlarm {
	private downSince: number | undefined;
	private alerted = false;
	private connectedAt: number | undefined;
	/** A failure since the last recovery: a plain field, read for every event. */
	down = false;

	constructor(
		private readonly afterMs: number,
		private readonly alert: (downForMs: number, reason: string) => void,
	) {}

	connected(now = Date.now()): void {
		this.connectedAt ??= now;
	}

	failed(reason: string, now = Date.now()): void {
		if (this.connectedAt !== undefined && now - this.connectedAt >= HEALTHY_ROUND_MS) this.recovered();
		this.connectedAt = undefined;
		this.down = true;
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
		this.down = false;
	}
}
