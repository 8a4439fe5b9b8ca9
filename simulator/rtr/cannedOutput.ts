import { createHash } from 'crypto';
import { Random } from '../random';
import type { FleetHost } from './fleet';

export interface CommandResult {
	stdout: string;
	stderr: string;
	/** New working directory (cd). */
	pwd?: string;
	/** For `get`: the file that will be uploaded. */
	file?: { path: string; content: Buffer };
}

const WINDOWS_PROCESSES = [
	'System', 'smss.exe', 'csrss.exe', 'wininit.exe', 'services.exe', 'lsass.exe', 'svchost.exe', 'svchost.exe',
	'svchost.exe', 'spoolsv.exe', 'CSFalconService.exe', 'explorer.exe', 'RuntimeBroker.exe', 'chrome.exe', 'chrome.exe',
	'OUTLOOK.EXE', 'Teams.exe', 'powershell.exe', 'conhost.exe', 'MsMpEng.exe', 'SearchIndexer.exe', 'taskhostw.exe',
];
const UNIX_PROCESSES = [
	'/sbin/init', '/usr/lib/systemd/systemd-journald', '/usr/sbin/sshd -D', '/opt/CrowdStrike/falcond', '/usr/sbin/cron -f',
	'/usr/bin/dockerd', '/usr/bin/containerd', 'nginx: master process', 'nginx: worker process', '/usr/bin/python3 app.py',
	'/usr/lib/postgresql/15/bin/postgres', 'bash', '-bash', '/usr/sbin/rsyslogd -n', '/usr/lib/systemd/systemd-logind',
];
const MAC_PROCESSES = [
	'/sbin/launchd', '/usr/libexec/logd', '/Library/CS/falcond', '/System/Library/CoreServices/Finder.app', 'Safari',
	'/usr/sbin/sshd', 'zsh', 'Slack Helper', '/usr/libexec/trustd', 'mds_stores',
];

function seedFor(seed: number, host: FleetHost, line: string): Random {
	return new Random(seed, `rtr:${host.aid}:${line}`);
}

export function defaultPwd(host: FleetHost): string {
	return host.platform === 'Windows' ? 'C:\\' : '/';
}

function stripQuotes(s: string): string {
	return s.trim().replace(/^["']|["']$/g, '');
}

function resolvePath(host: FleetHost, pwd: string, arg: string): string {
	const path = stripQuotes(arg);
	if (!path) return pwd;
	if (host.platform === 'Windows') {
		if (/^[a-z]:\\/i.test(path)) return path;
		return `${pwd.replace(/\\$/, '')}\\${path}`;
	}
	if (path.startsWith('/')) return path;
	return `${pwd.replace(/\/$/, '')}/${path}`;
}

/** Paths that do not exist on any simulated host, so tests can exercise "file not found". */
export function isMissingPath(path: string): boolean {
	return /missing|does-not-exist|nonexistent/i.test(path);
}

/** Deterministic content of a file on a host: the same path on the same host always reads the same. */
export function fileContent(seed: number, host: FleetHost, path: string): Buffer {
	const random = seedFor(seed, host, `file:${path}`);
	const lines = [
		`# ${path} on ${host.hostname} (${host.platform}, Falcon simulator)`,
		`generated-for=${host.aid}`,
		...Array.from({ length: random.int(3, 12) }, (_, i) => `line ${i + 1}: ${random.hex(24)}`),
	];
	return Buffer.from(`${lines.join('\n')}\n`);
}

function table(rows: string[][]): string {
	const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
	return rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col])).join('  ').trimEnd()).join('\n');
}

function listing(host: FleetHost, path: string, random: Random): string {
	const names =
		host.platform === 'Windows'
			? ['Program Files', 'Program Files (x86)', 'Users', 'Windows', 'ProgramData', 'pagefile.sys', 'hiberfil.sys', 'notes.txt']
			: ['bin', 'boot', 'etc', 'home', 'opt', 'tmp', 'usr', 'var', 'readme.md'];
	if (host.platform === 'Windows') {
		const rows = names.map((n) => {
			const dir = !n.includes('.');
			return [dir ? '<Directory>' : String(random.int(1000, 9_000_000)), '2024-05-0' + random.int(1, 9) + 'T10:1' + random.int(0, 9) + ':00Z', n];
		});
		return `Directory listing for ${path} -\n\n${table([['Size', 'Last Modified (UTC-0)', 'Name'], ...rows])}\n`;
	}
	const rows = names.map((n) => {
		const dir = !n.includes('.');
		return [dir ? 'drwxr-xr-x' : '-rw-r--r--', 'root', 'root', String(dir ? 4096 : random.int(100, 90000)), 'May  3 10:1' + random.int(0, 9), n];
	});
	return `${path}:\n${table(rows)}\n`;
}

function processes(host: FleetHost, random: Random): string {
	const names = host.platform === 'Windows' ? WINDOWS_PROCESSES : host.platform === 'Mac' ? MAC_PROCESSES : UNIX_PROCESSES;
	const rows: string[][] = [];
	for (let i = 0; i < 60; i++) {
		const name = names[i % names.length];
		rows.push([String(4 + i * 4 + random.int(0, 3)), String(random.int(0, 40) / 10), String(random.int(2_000, 900_000)), name]);
	}
	return `${table([['PID', 'CPU%', 'Memory(KB)', 'Name'], ...rows])}\n`;
}

function netstat(random: Random, host: FleetHost): string {
	const rows = Array.from({ length: 12 }, () => [
		random.pick(['TCP', 'TCP', 'UDP']),
		`${host.localIp}:${random.int(1024, 65000)}`,
		`${random.int(1, 223)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}:${random.pick([443, 80, 53, 22, 8443])}`,
		random.pick(['ESTABLISHED', 'TIME_WAIT', 'LISTENING', 'CLOSE_WAIT']),
		String(random.int(100, 9000)),
	]);
	return `${table([['Proto', 'Local Address', 'Foreign Address', 'State', 'PID'], ...rows])}\n`;
}

function networkConfig(host: FleetHost): string {
	if (host.platform === 'Windows') {
		return [
			'Windows IP Configuration',
			'',
			`   Host Name . . . . . . . . . . . . : ${host.hostname}`,
			'Ethernet adapter Ethernet0:',
			`   Physical Address. . . . . . . . . : ${host.macAddress.toUpperCase()}`,
			`   IPv4 Address. . . . . . . . . . . : ${host.localIp}`,
			'   Subnet Mask . . . . . . . . . . . : 255.255.0.0',
			`   Default Gateway . . . . . . . . . : ${host.localIp.split('.').slice(0, 3).join('.')}.1`,
			'',
		].join('\n');
	}
	return `eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n        inet ${host.localIp}  netmask 255.255.0.0\n        ether ${host.macAddress.replace(/-/g, ':')}\n`;
}

function environment(host: FleetHost): string {
	if (host.platform === 'Windows') {
		return [`COMPUTERNAME=${host.hostname}`, 'OS=Windows_NT', 'SystemRoot=C:\\Windows', 'USERNAME=SYSTEM', 'PROCESSOR_ARCHITECTURE=AMD64', ''].join('\n');
	}
	return [`HOSTNAME=${host.hostname}`, 'HOME=/root', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin', 'SHELL=/bin/bash', 'USER=root', ''].join('\n');
}

/** Runs a validated command against a simulated host. Same seed, host and line → same output. */
export function runCannedCommand(seed: number, host: FleetHost, pwd: string, verb: string, args: string): CommandResult {
	const random = seedFor(seed, host, `${pwd}|${verb} ${args}`);
	const target = resolvePath(host, pwd, args.split(/\s+-/)[0]);
	const windowsOnly = (run: () => CommandResult): CommandResult =>
		host.platform === 'Windows' ? run() : { stdout: '', stderr: `${verb}: not supported on ${host.platform}` };
	const needsFile = (run: () => CommandResult): CommandResult =>
		isMissingPath(target) ? { stdout: '', stderr: `${verb}: ${target}: No such file or directory` } : run();

	switch (verb) {
		case 'ls':
			return needsFile(() => ({ stdout: listing(host, target, random), stderr: '' }));
		case 'cd':
			return needsFile(() => ({ stdout: target, stderr: '', pwd: target }));
		case 'ps':
			return { stdout: processes(host, random), stderr: '' };
		case 'netstat':
			return { stdout: netstat(random, host), stderr: '' };
		case 'ipconfig':
		case 'ifconfig':
			return { stdout: networkConfig(host), stderr: '' };
		case 'env':
			return { stdout: environment(host), stderr: '' };
		case 'cat':
			return needsFile(() => ({ stdout: fileContent(seed, host, target).toString('utf8'), stderr: '' }));
		case 'filehash':
			return needsFile(() => {
				const content = fileContent(seed, host, target);
				const md5 = createHash('md5').update(content).digest('hex');
				const sha256 = createHash('sha256').update(content).digest('hex');
				return { stdout: `${target}\nMD5: ${md5}\nSHA256: ${sha256}\n`, stderr: '' };
			});
		case 'reg query':
			return windowsOnly(() => ({
				stdout: `${stripQuotes(args) || 'HKEY_LOCAL_MACHINE'}\n    ProductName    REG_SZ    ${host.osVersion}\n    InstallDate    REG_DWORD    0x${random.hex(8)}\n    CurrentBuild    REG_SZ    ${random.int(17763, 22631)}\n`,
				stderr: '',
			}));
		case 'reg set':
		case 'reg delete':
		case 'reg load':
		case 'reg unload':
			return windowsOnly(() => ({ stdout: 'The operation completed successfully.\n', stderr: '' }));
		case 'getsid':
			return windowsOnly(() => ({ stdout: `UserName  SID\nAdministrator  S-1-5-21-${random.int(1e8, 4e9)}-${random.int(1e8, 4e9)}-500\n`, stderr: '' }));
		case 'kill': {
			const pid = Number(stripQuotes(args));
			if (!Number.isInteger(pid) || pid <= 4) return { stdout: '', stderr: `kill: invalid or protected process id '${args}'` };
			return { stdout: `Process ${pid} killed\n`, stderr: '' };
		}
		case 'rm':
			return needsFile(() => ({ stdout: `Removed ${target}\n`, stderr: '' }));
		case 'mkdir':
			return { stdout: `Created directory ${target}\n`, stderr: '' };
		case 'cp':
		case 'mv':
			return needsFile(() => ({ stdout: `${verb === 'cp' ? 'Copied' : 'Moved'} ${args}\n`, stderr: '' }));
		case 'get':
			return needsFile(() => ({ stdout: `${target}\n`, stderr: '', file: { path: target, content: fileContent(seed, host, target) } }));
		case 'runscript': {
			const raw = /-Raw=```([\s\S]*?)```/.exec(args);
			const cloud = /-CloudFile="?([^"\s]+)"?/.exec(args);
			if (!raw && !cloud) return { stdout: '', stderr: 'runscript: one of -Raw, -CloudFile or -HostPath is required' };
			const what = raw ? `inline script (${raw[1].length} chars)` : `cloud script '${cloud?.[1]}'`;
			return { stdout: `Ran ${what} on ${host.hostname}\nExit code: 0\n`, stderr: '' };
		}
		case 'memdump':
		case 'xmemdump':
			return { stdout: `Memory dump written for ${args || 'system'}\n`, stderr: '' };
		case 'zip':
		case 'tar':
		case 'encrypt':
			return needsFile(() => ({ stdout: `${verb}: ${target} done\n`, stderr: '' }));
		case 'restart':
		case 'shutdown':
			return args.includes('-Confirm')
				? { stdout: `${verb} scheduled\n`, stderr: '' }
				: { stdout: '', stderr: `${verb}: add -Confirm to proceed` };
		case 'mount':
			return { stdout: host.platform === 'Windows' ? 'C: NTFS\n' : '/dev/sda1 on / type ext4 (rw,relatime)\n', stderr: '' };
		case 'users':
			return { stdout: `root\n${host.platform === 'Windows' ? 'Administrator' : 'admin'}\n`, stderr: '' };
		case 'history':
			return { stdout: '', stderr: '' };
		case 'eventlog':
			return windowsOnly(() => ({ stdout: 'Application\nSecurity\nSystem\n', stderr: '' }));
		default:
			return { stdout: `${verb} completed\n`, stderr: '' };
	}
}
