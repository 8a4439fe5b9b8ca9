import { isDetectionEvent, type StreamEvent } from '../events';
import { alertFromEvent, type Alert, type AlertComment } from './fromEvent';

/** One alert in `/_simulator/state` (compact). Unassigned fields are null here. */
export interface AlertSummary {
	composite_id: string;
	agent_id: string;
	hostname: string;
	severity: number;
	severity_name: string;
	status: string;
	tags: string[];
	assigned_to_name: string | null;
	assigned_to_uid: string | null;
	assigned_to_uuid: string | null;
	show_in_ui: boolean;
	comments: AlertComment[];
	created_timestamp: string;
	updated_timestamp: string;
	/** The stream event that raised it. */
	event: { eventType: string; partition: number; offset: number };
}

/** Every alert raised by a detection event, in the order raised (the oldest dropped beyond `maxAlerts`). */
export class AlertStore {
	private alerts: Alert[] = [];
	private byId = new Map<string, Alert>();
	private sources = new Map<Alert, AlertSummary['event']>();

	constructor(
		private readonly cid: string,
		/** The current host record of an aid, or undefined when the aid is not a fleet host. */
		private readonly device: (aid: string) => Record<string, unknown> | undefined,
		private readonly maxAlerts: number,
	) {}

	/**
	 * EventStore listener (registered before the feeds', so a CompositeId written back here is what feeds send).
	 * A detection whose CompositeId repeats an existing alert only bumps that alert's updated_timestamp.
	 */
	onEvent(partition: number, stored: StreamEvent): void {
		if (!isDetectionEvent(stored.metadata.eventType)) return;
		const e = stored.event;
		const aid = [e.AgentId, e.SensorId].find((v): v is string => typeof v === 'string' && v !== '') ?? '';
		if (typeof e.CompositeId !== 'string' || e.CompositeId === '') {
			e.CompositeId = `${this.cid.toLowerCase()}:ind:${aid}:${stored.metadata.eventCreationTime}-${partition}-${stored.metadata.offset}`;
		}
		const existing = this.find(e.CompositeId as string);
		if (existing) {
			existing.updated_timestamp = new Date(stored.metadata.eventCreationTime).toISOString();
			return;
		}
		const alert = alertFromEvent(stored, this.cid, aid ? this.device(aid) : undefined);
		this.alerts.push(alert);
		this.byId.set(alert.composite_id, alert);
		this.sources.set(alert, { eventType: stored.metadata.eventType, partition, offset: stored.metadata.offset });
		for (const dropped of this.alerts.splice(0, Math.max(0, this.alerts.length - this.maxAlerts))) {
			this.byId.delete(dropped.composite_id);
			this.sources.delete(dropped);
		}
	}

	reset(): void {
		this.alerts = [];
		this.byId.clear();
		this.sources.clear();
	}

	/** Live records, oldest first (callers copy before handing them out). */
	all(): Alert[] {
		return [...this.alerts];
	}

	find(compositeId: string): Alert | undefined {
		return this.byId.get(compositeId);
	}

	summary(): AlertSummary[] {
		return this.alerts.map((a) => ({
			composite_id: a.composite_id,
			agent_id: a.agent_id,
			hostname: typeof a.device.hostname === 'string' ? a.device.hostname : '',
			severity: a.severity,
			severity_name: a.severity_name,
			status: a.status,
			tags: [...a.tags],
			assigned_to_name: a.assigned_to_name ?? null,
			assigned_to_uid: a.assigned_to_uid ?? null,
			assigned_to_uuid: a.assigned_to_uuid ?? null,
			show_in_ui: a.show_in_ui,
			comments: a.comments.map((c) => ({ ...c })),
			created_timestamp: a.created_timestamp,
			updated_timestamp: a.updated_timestamp,
			event: { ...(this.sources.get(a) as AlertSummary['event']) },
		}));
	}
}

/** A deep copy for responses, so later changes do not leak into what a caller holds. */
export function copyAlert(alert: Alert): Alert {
	return JSON.parse(JSON.stringify(alert)) as Alert;
}
