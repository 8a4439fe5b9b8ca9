import { severityName, type StreamEvent } from '../events';

export interface AlertComment {
	value: string;
	timestamp: string;
}

/** An Alerts API record (GOF DetectsAlert field names) plus the simulator's `comments` list. */
export interface Alert {
	composite_id: string;
	id: string;
	aggregate_id: string;
	agent_id: string;
	cid: string;
	status: string;
	severity: number;
	severity_name: string;
	confidence?: number;
	tactic: string;
	tactic_id: string;
	technique: string;
	technique_id: string;
	objective: string;
	name: string;
	display_name: string;
	description: string;
	created_timestamp: string;
	updated_timestamp: string;
	timestamp: string;
	product: string;
	type: string;
	platform: string;
	show_in_ui: boolean;
	tags: string[];
	falcon_host_link: string;
	filename: string;
	filepath: string;
	cmdline: string;
	sha256: string;
	user_name: string;
	/** Absent while unassigned, like Falcon's optional fields. */
	assigned_to_name?: string;
	assigned_to_uid?: string;
	assigned_to_uuid?: string;
	/** `append_comment` adds `{value, timestamp}` here (the simulator's choice: where Falcon keeps comments is unconfirmed). */
	comments: AlertComment[];
	device: Record<string, unknown>;
}

/** The host fields an alert's `device` carries (a snapshot taken when the alert was raised). */
const DEVICE_FIELDS = [
	'device_id',
	'cid',
	'hostname',
	'status',
	'platform_id',
	'platform_name',
	'os_version',
	'agent_version',
	'product_type_desc',
	'machine_domain',
	'local_ip',
	'external_ip',
	'mac_address',
	'first_seen',
	'last_seen',
	'modified_timestamp',
	'tags',
	'groups',
];

const text = (value: unknown, fallback = ''): string => (typeof value === 'string' && value !== '' ? value : fallback);

function numberOr(value: unknown, fallback: number): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
}

/** Event `Timestamp` is epoch ms in generated events; seconds are accepted too. */
function eventTime(value: unknown, fallback: number): string {
	const n = numberOr(value, fallback);
	return new Date(n < 1e12 ? n * 1000 : n).toISOString();
}

/**
 * The alert a detection event raises. The event must already carry its CompositeId (the store writes a generated
 * one back into the event when it has none). `host` is the device record of the event's AgentId, if it is a fleet host.
 */
export function alertFromEvent(stored: StreamEvent, cid: string, host: Record<string, unknown> | undefined): Alert {
	const e = stored.event;
	const created = new Date(stored.metadata.eventCreationTime).toISOString();
	const compositeId = text(e.CompositeId);
	const agentId = text(e.AgentId, text(e.SensorId));
	const severity = numberOr(e.Severity, 50);
	const name = text(e.Name, text(e.DetectName, 'Detection'));
	const device = host
		? Object.fromEntries(DEVICE_FIELDS.map((f) => [f, host[f]]))
		: { device_id: agentId, hostname: text(e.Hostname, text(e.ComputerName)), local_ip: text(e.LocalIP), platform_name: text(e.Platform) };
	const lowerCid = cid.toLowerCase();
	return {
		composite_id: compositeId,
		id: compositeId.startsWith(`${lowerCid}:`) ? compositeId.slice(lowerCid.length + 1) : compositeId,
		aggregate_id: text(e.AggregateId, `aggind:${agentId}:${stored.metadata.offset}`),
		agent_id: agentId,
		cid: lowerCid,
		status: 'new',
		severity,
		severity_name: text(e.SeverityName, severityName(severity)),
		...(e.Confidence !== undefined ? { confidence: numberOr(e.Confidence, 0) } : {}),
		tactic: text(e.Tactic),
		tactic_id: text(e.TacticId),
		technique: text(e.Technique),
		technique_id: text(e.TechniqueId),
		objective: text(e.Objective),
		name,
		display_name: text(e.DisplayName, name),
		description: text(e.Description),
		created_timestamp: created,
		updated_timestamp: created,
		timestamp: eventTime(e.Timestamp, stored.metadata.eventCreationTime),
		product: 'epp',
		type: text(e.Type, 'ldt'),
		platform: text(host?.platform_name, text(e.Platform)),
		show_in_ui: true,
		tags: [],
		falcon_host_link: text(e.FalconHostLink),
		filename: text(e.FileName),
		filepath: text(e.FilePath),
		cmdline: text(e.CommandLine),
		sha256: text(e.SHA256String),
		user_name: text(e.UserName),
		comments: [],
		device,
	};
}
