/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals */
// Command-line entry (`npm run simulator`): the one simulator file that talks to the terminal and the process.
import { startSimulator } from './simulator';
import type { SimulatorOptions } from './options';
import { PROTECTED_TAG } from './hosts/profiles';

const STRING_OPTIONS = new Set(['host', 'clientId', 'clientSecret', 'region', 'cid']);
const BOOLEAN_OPTIONS = new Set(['seedInstallationTokens', 'acceptAnyMemberCid']);
const DEFAULT_CLI_PORT = 8765;

function camelCase(flag: string): string {
	return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** `--events-per-second 5` → { eventsPerSecond: 5 }; any SimulatorOptions key works in kebab-case. */
export function parseArgs(argv: string[]): SimulatorOptions {
	const options: Record<string, unknown> = { port: DEFAULT_CLI_PORT };
	for (let i = 0; i < argv.length; i++) {
		const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(argv[i]);
		if (!match) throw new Error(`unexpected argument '${argv[i]}' (use --name value)`);
		const key = camelCase(match[1]);
		const raw = match[2] ?? (BOOLEAN_OPTIONS.has(key) && (argv[i + 1] ?? '--').startsWith('--') ? 'true' : argv[++i]);
		if (raw === undefined) throw new Error(`--${match[1]} needs a value`);
		if (STRING_OPTIONS.has(key)) options[key] = raw;
		else if (BOOLEAN_OPTIONS.has(key)) options[key] = raw !== 'false';
		else if (Number.isFinite(Number(raw))) options[key] = Number(raw);
		else throw new Error(`--${match[1]} expects a number, got '${raw}'`);
	}
	return options as SimulatorOptions;
}

async function main(): Promise<void> {
	const sim = await startSimulator(parseArgs(process.argv.slice(2)));
	const online = sim.fleet.filter((h) => h.online);
	console.log(`CrowdStrike Falcon API simulator listening on ${sim.url}`);
	console.log('');
	console.log('n8n credential (CrowdStrike Falcon OAuth2 API):');
	console.log(`  Cloud:         Custom URL`);
	console.log(`  Base URL:      ${sim.url}`);
	console.log(`  Client ID:     ${sim.clientId}`);
	console.log(`  Client Secret: ${sim.clientSecret}`);
	console.log(`  CID:           ${sim.cid}`);
	console.log('');
	console.log(`Fleet: ${sim.fleet.length} hosts, ${online.length} online. For example:`);
	for (const host of sim.fleet.slice(0, 5)) {
		console.log(`  ${host.aid}  ${host.hostname.padEnd(14)} ${host.platform.padEnd(8)} ${host.online ? 'online' : 'offline'}`);
	}
	const protectedHosts = sim.state().hosts.filter((h) => h.tags.includes(PROTECTED_TAG));
	for (const host of protectedHosts) console.log(`  ${host.device_id}  ${host.hostname.padEnd(14)} carries ${PROTECTED_TAG}`);
	console.log('');
	console.log(`Flight Control children (a node's Member CID, or the credential's): ${sim.children.length}`);
	for (const child of sim.children) console.log(`  ${child.cid}  ${child.name.padEnd(20)} ${child.status}`);
	console.log('');
	console.log(`Controls: POST ${sim.url}/_simulator/faults | /_simulator/events | /_simulator/reset, GET /_simulator/state`);
	const stop = () => {
		void sim.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
