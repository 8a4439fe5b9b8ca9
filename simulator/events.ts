import { Random } from './random';
import type { FleetHost } from './rtr/fleet';

export interface StreamEvent {
	metadata: { customerIDString: string; offset: number; eventType: string; eventCreationTime: number; version: '1.0' };
	event: Record<string, unknown>;
}

interface Partition {
	events: StreamEvent[];
	/** Offset of events[0]; older events were dropped by the retention cap. */
	firstOffset: number;
}

export type AppendListener = (partition: number, event: StreamEvent) => void;

/** Every event ever appended (up to the retention cap), per partition, so any offset can be replayed. */
export class EventStore {
	private partitions: Partition[];
	private listeners = new Set<AppendListener>();

	constructor(
		readonly count: number,
		private readonly cid: string,
		private readonly maxRetained: number,
	) {
		this.partitions = Array.from({ length: count }, () => ({ events: [], firstOffset: 0 }));
	}

	append(
		partition: number,
		eventType: string,
		event: Record<string, unknown>,
		createdAt: number,
	): { partition: number; offset: number } {
		const p = this.partitions[partition];
		if (!p) throw new RangeError(`partition ${partition} does not exist (0..${this.count - 1})`);
		const offset = p.firstOffset + p.events.length;
		const stored: StreamEvent = {
			metadata: { customerIDString: this.cid, offset, eventType, eventCreationTime: createdAt, version: '1.0' },
			event,
		};
		p.events.push(stored);
		if (p.events.length > this.maxRetained) {
			const drop = p.events.length - this.maxRetained;
			p.events.splice(0, drop);
			p.firstOffset += drop;
		}
		for (const listener of this.listeners) listener(partition, stored);
		return { partition, offset };
	}

	/** The event at this offset, the first retained one if it was dropped, or undefined past the end. */
	at(partition: number, offset: number): StreamEvent | undefined {
		const p = this.partitions[partition];
		return p.events[Math.max(0, offset - p.firstOffset)];
	}

	nextOffset(partition: number): number {
		const p = this.partitions[partition];
		return p.firstOffset + p.events.length;
	}

	firstOffset(partition: number): number {
		return this.partitions[partition].firstOffset;
	}

	counts(): number[] {
		return this.partitions.map((p) => p.firstOffset + p.events.length);
	}

	clear(): void {
		this.partitions = this.partitions.map(() => ({ events: [], firstOffset: 0 }));
	}

	subscribe(listener: AppendListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
}

const TACTICS: Array<[string, string, string, string]> = [
	['Execution', 'TA0002', 'PowerShell', 'T1059.001'],
	['Credential Access', 'TA0006', 'OS Credential Dumping', 'T1003'],
	['Persistence', 'TA0003', 'Registry Run Keys / Startup Folder', 'T1547.001'],
	['Defense Evasion', 'TA0005', 'Masquerading', 'T1036'],
	['Lateral Movement', 'TA0008', 'Remote Services', 'T1021'],
	['Command and Control', 'TA0011', 'Application Layer Protocol', 'T1071'],
];
const SEVERITIES: Array<[number, string]> = [
	[10, 'Informational'],
	[30, 'Low'],
	[50, 'Medium'],
	[70, 'High'],
	[90, 'Critical'],
];
const DETECTION_TYPES = ['EppDetectionSummaryEvent', 'DetectionSummaryEvent'];
const KNOWN_TYPES = [
	...DETECTION_TYPES,
	'UserActivityAuditEvent',
	'AuthActivityAuditEvent',
	'RemoteResponseSessionStartEvent',
	'RemoteResponseSessionEndEvent',
	'IncidentSummaryEvent',
];

/** Epp (any case, e.g. `EPPDetectionSummaryEvent`) or legacy detection summary: each one also raises an alert. */
export function isDetectionEvent(eventType: string): boolean {
	return DETECTION_TYPES.some((t) => t.toLowerCase() === eventType.toLowerCase());
}

/** Severity score → name, using the bands the generated events use (10/30/50/70/90). */
export function severityName(severity: number): string {
	if (severity >= 80) return 'Critical';
	if (severity >= 60) return 'High';
	if (severity >= 40) return 'Medium';
	if (severity >= 20) return 'Low';
	return 'Informational';
}

function severityScore(name: string): number | undefined {
	return SEVERITIES.find(([, n]) => n.toLowerCase() === name.toLowerCase())?.[0];
}

function firstString(...values: unknown[]): string | undefined {
	return values.find((v): v is string => typeof v === 'string' && v !== '');
}

function falconHostLink(compositeId: string): string {
	return `https://falcon.crowdstrike.com/activity-v2/detections/${encodeURIComponent(compositeId)}`;
}
const USERS = ['alice.nguyen', 'bob.martin', 'svc_backup', 'carol.ito', 'admin.dave'];

/** Realistic bodies for the common event types; deterministic for a given seed and call order. */
export class EventGenerator {
	private random: Random;
	readonly types = [
		'EppDetectionSummaryEvent',
		'EppDetectionSummaryEvent',
		'EppDetectionSummaryEvent',
		'UserActivityAuditEvent',
		'AuthActivityAuditEvent',
		'RemoteResponseSessionStartEvent',
		'RemoteResponseSessionEndEvent',
		'IncidentSummaryEvent',
	];

	constructor(
		private readonly seed: number,
		private readonly fleet: FleetHost[],
		private readonly cid: string,
	) {
		this.random = new Random(seed, 'events');
	}

	reset(): void {
		this.random = new Random(this.seed, 'events');
	}

	nextType(): string {
		return this.random.pick(this.types);
	}

	/**
	 * An injected event: a realistic body for the host the given fields name (AgentId/SensorId/AgentIdString, else
	 * Hostname/ComputerName/HostnameField when it is a fleet host name), the given fields merged over it, and for
	 * detections the fields that belong together filled from each other (see completeDetection).
	 */
	compose(eventType: string, given: Record<string, unknown> = {}): Record<string, unknown> {
		const merged = { ...this.body(eventType, given), ...given };
		return isDetectionEvent(eventType) ? completeDetection(merged, given) : merged;
	}

	/** The host an injected event is about; `drawn` (the seeded pick) when the fields name none. */
	private hostFor(given: Record<string, unknown>, drawn: FleetHost): FleetHost {
		const aid = firstString(given.AgentId, given.SensorId, given.AgentIdString)?.toLowerCase();
		const name = firstString(given.Hostname, given.ComputerName, given.HostnameField);
		if (aid) {
			return (
				this.fleet.find((h) => h.aid === aid) ?? {
					...drawn,
					aid,
					hostname: name ?? `unknown-${aid.slice(0, 8)}`,
					online: false,
				}
			);
		}
		if (name) return this.fleet.find((h) => h.hostname.toLowerCase() === name.toLowerCase()) ?? drawn;
		return drawn;
	}

	body(eventType: string, given: Record<string, unknown> = {}): Record<string, unknown> {
		const r = this.random;
		// Always draw, so naming a host does not shift the seeded content of later events.
		const host = this.hostFor(given, r.pick(this.fleet));
		const now = Date.now();
		const user = r.pick(USERS);
		const cid = this.cid.toLowerCase();
		switch (KNOWN_TYPES.find((t) => t.toLowerCase() === eventType.toLowerCase()) ?? eventType) {
			case 'EppDetectionSummaryEvent':
			case 'DetectionSummaryEvent': {
				const [tactic, tacticId, technique, techniqueId] = r.pick(TACTICS);
				const [severity, severityName] = r.pick(SEVERITIES);
				const windows = host.platform === 'Windows';
				const file = windows ? r.pick(['powershell.exe', 'rundll32.exe', 'mimikatz.exe', 'invoice.pdf.exe']) : r.pick(['bash', 'python3', 'xmrig', 'nc']);
				const path = windows ? `\\Device\\HarddiskVolume3\\Users\\${user}\\AppData\\Local\\Temp\\` : `/tmp/.cache/`;
				const compositeId = `${cid}:ind:${host.aid}:${r.int(1e10, 9e10)}-${r.int(1, 999)}-${r.int(1e6, 9e6)}`;
				return {
					AgentId: host.aid,
					SensorId: host.aid,
					AggregateId: `aggind:${host.aid}:${r.int(1e10, 9e10)}`,
					CompositeId: compositeId,
					DetectId: `ldt:${host.aid}:${r.int(1e10, 9e10)}`,
					ComputerName: host.hostname,
					Hostname: host.hostname,
					LocalIP: host.localIp,
					MACAddress: host.macAddress,
					Platform: host.platform,
					OSVersion: host.osVersion,
					UserName: user,
					Name: `${technique} activity`,
					DetectName: `${technique} activity`,
					Description: `A process exhibited behaviour consistent with ${technique} (${techniqueId}).`,
					Severity: severity,
					SeverityName: severityName,
					Confidence: r.int(50, 100),
					Tactic: tactic,
					TacticId: tacticId,
					Technique: technique,
					TechniqueId: techniqueId,
					Objective: r.pick(['Falcon Detection Method', 'Keep Access', 'Gain Access', 'Explore']),
					FileName: file,
					FilePath: path,
					CommandLine: windows ? `"${file}" -nop -w hidden -enc ${r.hex(24)}` : `${file} -c ${r.hex(12)}`,
					SHA256String: r.hex(64),
					MD5String: r.hex(32),
					SHA1String: r.hex(40),
					ProcessId: r.int(1000, 65000),
					ParentProcessId: r.int(100, 9000),
					ParentImageFileName: windows ? 'C:\\Windows\\explorer.exe' : '/bin/bash',
					ParentCommandLine: windows ? 'C:\\Windows\\Explorer.EXE' : '-bash',
					ProcessStartTime: Math.floor(now / 1000) - r.int(1, 600),
					ProcessEndTime: 0,
					PatternDispositionValue: r.pick([0, 16, 2048]),
					PatternDispositionDescription: r.pick(['Detection, standard detection.', 'Prevention, process killed.']),
					PatternDispositionFlags: { Detect: true, KillProcess: r.chance(0.3), QuarantineFile: r.chance(0.2), OperationBlocked: false },
					FalconHostLink: falconHostLink(compositeId),
					Timestamp: now,
				};
			}
			case 'IncidentSummaryEvent':
				return {
					IncidentId: `inc:${host.aid}:${r.hex(32)}`,
					IncidentType: r.int(1, 2),
					IncidentStartTime: Math.floor(now / 1000) - r.int(60, 7200),
					IncidentEndTime: Math.floor(now / 1000),
					State: r.pick(['open', 'closed']),
					FineScore: r.int(10, 100),
					LateralMovement: r.int(0, 1),
					FalconHostLink: `https://falcon.crowdstrike.com/crowdscore/incidents/details/inc:${host.aid}`,
					HostIds: [host.aid],
				};
			case 'UserActivityAuditEvent':
			case 'AuthActivityAuditEvent': {
				const operation =
					eventType === 'AuthActivityAuditEvent'
						? r.pick(['twoFactorAuthenticate', 'userAuthenticate', 'requestResetPassword'])
						: r.pick(['detection_update', 'update_host_containment', 'create_user', 'revoke_user_session']);
				return {
					UserId: `${user}@example.com`,
					UserIp: `${r.int(1, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
					OperationName: operation,
					ServiceName: eventType === 'AuthActivityAuditEvent' ? 'CrowdStrike Authentication' : 'detections',
					Success: r.chance(0.9),
					UTCTimestamp: Math.floor(now / 1000),
					AuditKeyValues: [
						{ Key: 'target_host', ValueString: host.hostname },
						{ Key: 'cid', ValueString: cid },
					],
				};
			}
			case 'RemoteResponseSessionStartEvent':
			case 'RemoteResponseSessionEndEvent': {
				const start = Math.floor(now / 1000) - r.int(30, 900);
				return {
					SessionId: r.uuid(),
					AgentIdString: host.aid,
					HostnameField: host.hostname,
					UserName: `${user}@example.com`,
					StartTimestamp: start,
					...(eventType === 'RemoteResponseSessionEndEvent'
						? { EndTimestamp: Math.floor(now / 1000), Commands: ['ls', 'ps', `get ${host.platform === 'Windows' ? 'C:\\Temp\\a.exe' : '/tmp/a'}`] }
						: {}),
				};
			}
			default:
				return { UTCTimestamp: Math.floor(now / 1000), AgentIdString: host.aid, HostnameField: host.hostname };
		}
	}
}

/**
 * Keeps an injected detection self-consistent after the caller's fields were merged over the generated body:
 * AgentId ↔ SensorId, Hostname ↔ ComputerName, Name ↔ DetectName, Severity ↔ SeverityName are filled from each
 * other when only one was given, and FalconHostLink follows a given CompositeId. The generated CompositeId,
 * AggregateId and DetectId already embed the named host's AgentId.
 */
export function completeDetection(merged: Record<string, unknown>, given: Record<string, unknown>): Record<string, unknown> {
	const out = { ...merged };
	const pairs: Array<[string, string]> = [
		['AgentId', 'SensorId'],
		['Hostname', 'ComputerName'],
		['Name', 'DetectName'],
	];
	for (const [a, b] of pairs) {
		if (given[a] !== undefined && given[b] === undefined) out[b] = given[a];
		if (given[b] !== undefined && given[a] === undefined) out[a] = given[b];
	}
	if (typeof given.CompositeId === 'string' && given.FalconHostLink === undefined) out.FalconHostLink = falconHostLink(given.CompositeId);
	if (typeof given.Severity === 'number' && given.SeverityName === undefined) out.SeverityName = severityName(given.Severity);
	if (typeof given.SeverityName === 'string' && given.Severity === undefined) {
		out.Severity = severityScore(given.SeverityName) ?? out.Severity;
	}
	return out;
}
