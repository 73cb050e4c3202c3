import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { findFreePorts } from './free-port';
import { acquireFileLock, openServiceLog, readLogTail, resolveExecutable, spawnTiedToParent, stopChild, waitUntilReady, type ShutdownStep } from './service-process';

/**
 * A Confluent-compatible schema registry for development and tests: Apicurio Registry, packaged
 * once from its app module on Maven Central with the Quarkus Maven plugin
 * (services/schema-registry/pom.xml) into <repo>/.cache/schema-registry, run with in-memory
 * storage. Clients use its Confluent API at `<url>/apis/ccompat/v7`. Needs `java` (17+) and `mvn`.
 */

const servicesDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(servicesDir);
const POM_FILE = path.join(servicesDir, 'schema-registry', 'pom.xml');
const CACHE_DIR = path.join(repoRoot, '.cache', 'schema-registry');
const BUILD_DIR = path.join(CACHE_DIR, 'build');
const MARKER_FILE = path.join(CACHE_DIR, '.pom-sha256');
const RUNNER_JAR = path.join(BUILD_DIR, 'target', 'kastor-schema-registry-1-runner.jar');

/** The path of the Confluent-compatible API under the registry's root. */
export const CONFLUENT_API_PATH = '/apis/ccompat/v7';

// Quarkus stops on SIGTERM; the in-memory storage has nothing to flush.
const SHUTDOWN_STEPS: ShutdownStep[] = [
  { signal: 'SIGTERM', waitMs: 15_000 },
  { signal: 'SIGKILL', waitMs: 5_000 },
];

type Progress = (message: string) => void;

/**
 * The runnable jar, packaged with Maven on the first call (a few minutes: Quarkus and the
 * registry's dependencies come from Maven Central, then from ~/.m2). Keyed by the pom's hash.
 */
export async function ensureSchemaRegistryJar(opts: { onProgress?: Progress } = {}): Promise<string> {
  const progress = opts.onProgress ?? (() => {});
  const pom = await fsp.readFile(POM_FILE);
  const pomHash = crypto.createHash('sha256').update(pom).digest('hex');
  const isCurrent = async () => (await fsp.readFile(MARKER_FILE, 'utf8').catch(() => '')) === pomHash && fs.existsSync(RUNNER_JAR);
  if (await isCurrent()) return RUNNER_JAR;
  await fsp.mkdir(CACHE_DIR, { recursive: true });
  const release = await acquireFileLock(path.join(CACHE_DIR, 'build.lock'), 'packaging the schema registry', progress);
  try {
    if (await isCurrent()) return RUNNER_JAR;
    await packageRegistry(pom, pomHash, progress);
    return RUNNER_JAR;
  } finally {
    await release();
  }
}

async function packageRegistry(pom: Buffer, pomHash: string, progress: Progress): Promise<void> {
  const mvn = resolveExecutable('mvn');
  if (!mvn) throw new Error('Maven (mvn) is not on PATH; it is needed once to package the schema registry from Maven Central');
  // Built outside the source tree, so target/ never lands in the repository.
  await fsp.rm(BUILD_DIR, { recursive: true, force: true });
  await fsp.mkdir(BUILD_DIR, { recursive: true });
  await fsp.writeFile(path.join(BUILD_DIR, 'pom.xml'), pom);
  const startedAt = Date.now();
  progress(`packaging Apicurio Registry from Maven Central into ${BUILD_DIR} (first run only)`);
  const child = spawnTiedToParent(mvn, ['-B', '-q', 'package', '-DskipTests'], { deathSignal: 'SIGTERM', stdio: ['ignore', 'pipe', 'pipe'], cwd: BUILD_DIR });
  const output: string[] = [];
  const collect = (line: string) => {
    output.push(line);
    if (output.length > 200) output.shift();
  };
  readline.createInterface({ input: child.stdout! }).on('line', collect);
  readline.createInterface({ input: child.stderr! }).on('line', collect);
  const ticker = setInterval(() => progress(`  … ${Math.round((Date.now() - startedAt) / 1000)} s`), 10_000);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).finally(() => clearInterval(ticker));
  if (exitCode !== 0 || !fs.existsSync(RUNNER_JAR)) {
    throw new Error(`mvn could not package the schema registry (exit ${exitCode}). Last output:\n${output.slice(-30).join('\n')}`);
  }
  await fsp.writeFile(MARKER_FILE, pomHash);
  progress(`schema registry packaged in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
}

export interface StartSchemaRegistryOptions {
  /** Its log file goes here. */
  dataDir: string;
  /** Loopback port; a free one by default. */
  port?: number;
  onProgress?: Progress;
  /** Default 120 s: a cold JVM on a busy 2-core machine. */
  startTimeoutMs?: number;
}

export interface RunningSchemaRegistry {
  /** The Confluent-compatible API: `http://127.0.0.1:<port>/apis/ccompat/v7`. */
  url: string;
  logFile: string;
  /** SIGTERM, then SIGKILL; safe to call more than once. */
  stop(): Promise<void>;
}

export async function startSchemaRegistry(opts: StartSchemaRegistryOptions): Promise<RunningSchemaRegistry> {
  const progress = opts.onProgress ?? (() => {});
  const jar = await ensureSchemaRegistryJar({ onProgress: progress });
  const java = resolveExecutable('java');
  if (!java) throw new Error('java is not on PATH; the schema registry needs Java 17 or later');
  const dataDir = path.resolve(opts.dataDir);
  await fsp.mkdir(dataDir, { recursive: true });
  const logFile = path.join(dataDir, 'schema-registry.log');
  const port = opts.port ?? (await findFreePorts(1))[0];
  const logFd = await openServiceLog(logFile);
  const startedAt = Date.now();
  progress(`starting the schema registry (Apicurio) on 127.0.0.1:${port} (log: ${logFile})`);
  const child = spawnTiedToParent(
    java,
    ['-Xms64m', '-Xmx384m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Dquarkus.http.host=127.0.0.1', `-Dquarkus.http.port=${port}`, '-jar', jar],
    { deathSignal: 'SIGTERM', stdio: ['ignore', logFd, logFd], cwd: dataDir, env: { ...process.env, HTTP_PORT: String(port) } },
  );
  fs.closeSync(logFd);
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopChild(child, SHUTDOWN_STEPS));
  const url = `http://127.0.0.1:${port}${CONFLUENT_API_PATH}`;
  try {
    await waitUntilReady({
      child,
      timeoutMs: opts.startTimeoutMs ?? 120_000,
      intervalMs: 250,
      check: async () => (await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2_000) })).ok,
      describeFailure: async (reason) => new Error(`the schema registry ${reason}. Last lines of ${logFile}:\n${await readLogTail(logFile)}`),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  progress(`schema registry ready at ${url} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  return { url, logFile, stop };
}
