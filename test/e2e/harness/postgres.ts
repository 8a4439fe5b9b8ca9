/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- test harness code, never part of the package */
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { run } from './command';
import { freePort } from './free-port';

const DEBIAN_POSTGRES = '/usr/lib/postgresql';
const USER = 'n8n';
const DATABASE = 'n8n';

export interface PostgresOptions {
	/** Off for tests (nothing here must survive a power cut); on for benchmarks, as in production. Default off. */
	fsync?: boolean;
	/** Loads pg_stat_statements, so a benchmark can see what the database spent its time on. */
	statementStatistics?: boolean;
}

export interface RunningPostgres {
	port: number;
	/** DB_* variables pointing n8n at this database. */
	n8nEnvironment: Record<string, string>;
	/** The postmaster's pid (its backends are its children). */
	serverPid(): number;
	/** Runs SQL with psql; resolves with the unaligned, tuples-only output (`|` between columns). */
	query(sql: string): Promise<string>;
	stop(): Promise<void>;
}

/** Debian keeps the server binaries out of PATH, in /usr/lib/postgresql/<version>/bin; the newest wins. */
function binaryDirectory(): string | undefined {
	if (!existsSync(DEBIAN_POSTGRES)) return undefined;
	const versions = readdirSync(DEBIAN_POSTGRES)
		.filter((version) => existsSync(join(DEBIAN_POSTGRES, version, 'bin', 'pg_ctl')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? join(DEBIAN_POSTGRES, versions[0], 'bin') : undefined;
}

/** Postgres refuses to run as root: as root, the server programs run as the `postgres` user. */
function serverCommand(binaries: string | undefined, program: string, args: string[]): [string, string[]] {
	const path = binaries ? join(binaries, program) : program;
	return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
}

async function ownedByPostgresWhenRoot(directory: string): Promise<void> {
	if (process.getuid?.() !== 0) return;
	const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
	const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
	chownSync(directory, uid, gid);
}

/**
 * A throw-away Postgres cluster in `folder` (deleted first) on a free loopback port, with a database and a user
 * `n8n` (trust authentication: loopback only). Needs Debian's `postgresql` package, as .ci/run installs it.
 */
export async function startPostgres(folder: string, options: PostgresOptions = {}): Promise<RunningPostgres> {
	const binaries = binaryDirectory();
	const data = join(folder, 'data');
	const socketDirectory = join(folder, 'socket');
	await stopLeftover(binaries, data);
	rmSync(folder, { recursive: true, force: true });
	mkdirSync(socketDirectory, { recursive: true });
	await ownedByPostgresWhenRoot(folder);
	await ownedByPostgresWhenRoot(socketDirectory);
	const server = (program: string, args: string[]) => run(...serverCommand(binaries, program, args));
	try {
		await server('initdb', ['-D', data, '-U', USER, '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
	} catch (error) {
		throw new Error(
			`Cannot create a Postgres cluster (install Debian's postgresql package, as .ci/run does): ${(error as Error).message}`,
		);
	}
	const port = await freePort();
	const settings = [
		`-p ${port}`,
		"-c listen_addresses='127.0.0.1'",
		`-c unix_socket_directories='${socketDirectory}'`,
		`-c fsync=${options.fsync ? 'on' : 'off'}`,
		'-c max_connections=200',
		...(options.statementStatistics ? ["-c shared_preload_libraries='pg_stat_statements'"] : []),
	];
	await server('pg_ctl', ['-D', data, '-l', join(folder, 'postgres.log'), '-o', settings.join(' '), '-w', '-t', '60', 'start']);
	const psql = async (database: string, sql: string) =>
		(await run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', USER, '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql]))
			.stdout;
	await psql('postgres', `CREATE DATABASE ${DATABASE}`);
	if (options.statementStatistics) await psql(DATABASE, 'CREATE EXTENSION pg_stat_statements');
	return {
		port,
		n8nEnvironment: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: DATABASE,
			DB_POSTGRESDB_USER: USER,
			DB_POSTGRESDB_PASSWORD: USER,
		},
		serverPid: () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
		query: async (sql) => (await psql(DATABASE, sql)).trim(),
		stop: async () => {
			await server('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
		},
	};
}

/** A cluster an interrupted earlier run left running in this same folder is stopped before the folder goes. */
async function stopLeftover(binaries: string | undefined, data: string): Promise<void> {
	if (!existsSync(join(data, 'postmaster.pid'))) return;
	await run(...serverCommand(binaries, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])).catch(() => undefined);
}
