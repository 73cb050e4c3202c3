import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { findFreePorts, isPortAnswering } from './free-port';
import { generateBrokerCertificates } from './kafka-certificates';
import {
  acquireFileLock,
  currentProcessIdentity,
  hasExited,
  identifyProcess,
  isSameProcessRunning,
  openServiceLog,
  readLogTail,
  resolveExecutable,
  sleep,
  spawnTiedToParent,
  stopChild,
  terminateProcess,
  waitUntilReady,
  type ProcessIdentity,
  type ShutdownStep,
} from './service-process';

/**
 * A single-node Apache Kafka 4.x (KRaft, combined broker+controller) for development and
 * tests, run from Apache's own jars on Maven Central (services/kafka/pom.xml), fetched once
 * into <repo>/.cache/kafka/libs. Needs `java` (17+) and `mvn` on PATH.
 */

const servicesDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(servicesDir);
const POM_FILE = path.join(servicesDir, 'kafka', 'pom.xml');
const CACHE_DIR = path.join(repoRoot, '.cache', 'kafka');
const LIBS_DIR = path.join(CACHE_DIR, 'libs');
const MARKER_FILE = '.pom-sha256';
const STATE_FILE = 'kastor-kafka.json';

export const KAFKA_VERSION = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(POM_FILE, 'utf8'))?.[1] ?? 'unknown';

// kafka.Kafka turns SIGTERM into a controlled shutdown (flush logs, close the quorum cleanly).
const SHUTDOWN_STEPS: ShutdownStep[] = [
  { signal: 'SIGTERM', waitMs: 30_000 },
  { signal: 'SIGKILL', waitMs: 5_000 },
];

const execFileAsync = promisify(execFile);

type Progress = (msg: string) => void;

/**
 * Returns the directory holding the broker's jars, downloading them with Maven on the first
 * call. The cache is keyed by the pom's hash, so editing the pom (a new Kafka version)
 * refetches. Maven's own ~/.m2 cache makes a refetch on the same machine quick.
 */
export async function ensureKafkaJars(opts: { onProgress?: Progress } = {}): Promise<string> {
  const progress = opts.onProgress ?? (() => {});
  const pomHash = crypto.createHash('sha256').update(await fsp.readFile(POM_FILE)).digest('hex');
  const isCurrent = async () =>
    (await fsp.readFile(path.join(LIBS_DIR, MARKER_FILE), 'utf8').catch(() => '')) === pomHash;
  if (await isCurrent()) return LIBS_DIR;

  await fsp.mkdir(CACHE_DIR, { recursive: true });
  const releaseLock = await acquireFileLock(path.join(CACHE_DIR, 'fetch.lock'), 'fetching the Kafka jars', progress);
  try {
    // Another process may have fetched the jars while we waited for the lock.
    if (await isCurrent()) return LIBS_DIR;
    await fetchJars(pomHash, progress);
    return LIBS_DIR;
  } finally {
    await releaseLock();
  }
}

async function fetchJars(pomHash: string, progress: Progress): Promise<void> {
  const mvn = resolveExecutable('mvn');
  if (!mvn) throw new Error('Maven (mvn) is not on PATH; it is needed once to fetch the Kafka jars from Maven Central');
  const staging = path.join(CACHE_DIR, 'libs.partial');
  await fsp.rm(staging, { recursive: true, force: true });
  const startedAt = Date.now();
  progress(`fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central into ${LIBS_DIR} (first run only)`);

  const child = spawnTiedToParent(
    mvn,
    ['-B', '-f', POM_FILE, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`, '-DincludeScope=runtime'],
    { deathSignal: 'SIGTERM', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  let downloads = 0;
  let jarDownloads = 0;
  let latest = '';
  const collect = (line: string) => {
    output.push(line);
    if (output.length > 200) output.shift();
    const downloaded = /Downloaded from \S+: (\S+)/.exec(line);
    if (downloaded) {
      downloads++;
      if (downloaded[1].endsWith('.jar')) {
        jarDownloads++;
        latest = path.basename(downloaded[1]);
      }
    }
  };
  readline.createInterface({ input: child.stdout! }).on('line', collect);
  readline.createInterface({ input: child.stderr! }).on('line', collect);
  const ticker = setInterval(() => {
    const seconds = Math.round((Date.now() - startedAt) / 1000);
    progress(`  … ${seconds} s: ${jarDownloads} jars (${downloads} files) downloaded${latest ? `, latest ${latest}` : ''}`);
  }, 3_000);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).finally(() => clearInterval(ticker));
  if (exitCode !== 0) {
    throw new Error(`mvn could not fetch the Kafka jars (exit ${exitCode}). Last output:\n${output.slice(-30).join('\n')}`);
  }

  const jars = (await fsp.readdir(staging)).filter((name) => name.endsWith('.jar'));
  await fsp.writeFile(path.join(staging, MARKER_FILE), pomHash);
  await fsp.rm(LIBS_DIR, { recursive: true, force: true });
  await fsp.rename(staging, LIBS_DIR);
  progress(`Kafka jars ready: ${jars.length} jars in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
}

export interface StartKafkaOptions {
  /** Broker directory: config, logs and topic data; formatted on first use and reused. */
  dataDir: string;
  /** PLAINTEXT port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number;
  onProgress?: Progress;
  /** Default 120 s: the first start on a cold 2-core machine takes a while. */
  startTimeoutMs?: number;
  /**
   * Also listen with SASL_SSL (a PLAIN user and a SCRAM-SHA-512 user) and with SSL requiring a
   * client certificate (mTLS), certificates made at start; PLAINTEXT stays for readiness probes.
   * Use a fresh dataDir: the SCRAM user is written when the storage is formatted.
   */
  secured?: boolean;
}

export interface SecuredListeners {
  /** SASL_SSL with PLAIN and SCRAM-SHA-512. */
  saslSsl: string[];
  /** SSL with `ssl.client.auth=required`. */
  mtls: string[];
  /** The authority that signed the broker's and the client's certificates. */
  caPem: string;
  client: { certPem: string; keyPem: string };
  users: { plain: { username: string; password: string }; scram: { username: string; password: string } };
}

export interface RunningKafka {
  /** ['127.0.0.1:<port>'] */
  brokers: string[];
  logFile: string;
  /** With `secured`: the SASL_SSL and mTLS listeners and what a client needs for them. */
  secured?: SecuredListeners;
  /** SIGTERM (controlled shutdown), then SIGKILL after 30 s; safe to call more than once. */
  stop(): Promise<void>;
}

interface BrokerState {
  owner: ProcessIdentity;
  server: ProcessIdentity;
  port: number;
}

export async function startKafka(opts: StartKafkaOptions): Promise<RunningKafka> {
  const progress = opts.onProgress ?? (() => {});
  const libsDir = await ensureKafkaJars({ onProgress: progress });
  const java = resolveExecutable('java');
  if (!java) throw new Error('java is not on PATH; Kafka 4 needs Java 17 or later');
  const dataDir = path.resolve(opts.dataDir);
  await fsp.mkdir(dataDir, { recursive: true });
  await stopLeftoverBroker(dataDir, progress);

  // A port picked as free can be taken before the broker binds it; pick again in that case.
  const attempts = opts.port ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    const extra = opts.secured ? 2 : 0;
    const [port, controllerPort, ...securedPorts] = opts.port
      ? [opts.port, ...(await findFreePorts(1 + extra))]
      : await findFreePorts(2 + extra);
    try {
      return await launch({ java, libsDir, dataDir, port, controllerPort, securedPorts, progress, timeoutMs: opts.startTimeoutMs ?? 120_000 });
    } catch (error) {
      if (attempt >= attempts || !/Address already in use/i.test(String(error))) throw error;
      progress(`port ${port} or ${controllerPort} was taken, retrying on others`);
    }
  }
}

async function launch(args: {
  java: string;
  libsDir: string;
  dataDir: string;
  port: number;
  controllerPort: number;
  /** [SASL_SSL, SSL] ports when secured. */
  securedPorts: number[];
  progress: Progress;
  timeoutMs: number;
}): Promise<RunningKafka> {
  const { java, libsDir, dataDir, port, controllerPort, progress } = args;
  const secured = args.securedPorts.length === 2 ? await prepareSecuredListeners(dataDir, { port, controllerPort, saslSslPort: args.securedPorts[0], mtlsPort: args.securedPorts[1] }) : undefined;
  const propertiesFile = path.join(dataDir, 'server.properties');
  const log4jFile = path.join(dataDir, 'log4j2.properties');
  const logFile = path.join(dataDir, 'logs', 'server.log');
  const logDir = path.join(dataDir, 'kraft-logs');
  await fsp.writeFile(propertiesFile, serverProperties({ port, controllerPort, logDir }) + (secured?.properties ?? ''));
  await fsp.writeFile(log4jFile, LOG4J_PROPERTIES);
  const classpath = ['-cp', `${libsDir}/*`, `-Dlog4j2.configurationFile=${log4jFile}`];

  if (!fs.existsSync(path.join(logDir, 'meta.properties'))) {
    progress(`formatting Kafka storage in ${logDir}`);
    await execFileAsync(
      java,
      ['-Xmx256m', ...classpath, 'kafka.tools.StorageTool', 'format', '--cluster-id', newClusterId(), '--config', propertiesFile, '--ignore-formatted', ...(secured?.formatArgs ?? [])],
      { timeout: 120_000 },
    ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`formatting Kafka storage failed: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
  }

  const logFd = await openServiceLog(logFile);
  const startedAt = Date.now();
  progress(`starting Kafka ${KAFKA_VERSION} on 127.0.0.1:${port} (log: ${logFile})`);
  const child = spawnTiedToParent(
    java,
    [
      '-Xms128m',
      '-Xmx512m',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:+ExitOnOutOfMemoryError',
      '-Djava.awt.headless=true',
      ...classpath,
      'kafka.Kafka',
      propertiesFile,
    ],
    { deathSignal: 'SIGTERM', stdio: ['ignore', logFd, logFd] },
  );
  fs.closeSync(logFd);
  const server = child.pid ? identifyProcess(child.pid) : undefined;
  if (server) {
    const state: BrokerState = { owner: currentProcessIdentity(), server, port };
    await fsp.writeFile(path.join(dataDir, STATE_FILE), JSON.stringify(state));
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await stopChild(child, SHUTDOWN_STEPS);
      await fsp.rm(path.join(dataDir, STATE_FILE), { force: true });
    })());

  const brokers = [`127.0.0.1:${port}`];
  try {
    await waitUntilReady({
      child,
      timeoutMs: args.timeoutMs,
      intervalMs: 250,
      check: async () => (await isPortAnswering(port)) && !hasExited(child) && (await brokerIsServing(brokers)),
      describeFailure: async (reason) =>
        new Error(`Kafka ${reason} (data: ${dataDir}). Last log lines of ${logFile}:\n${await readLogTail(logFile)}`),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  progress(`Kafka ready on ${brokers[0]}${secured ? ` (SASL_SSL ${secured.listeners.saslSsl[0]}, mTLS ${secured.listeners.mtls[0]})` : ''} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  return { brokers, logFile, stop, ...(secured ? { secured: secured.listeners } : {}) };
}

/**
 * Ready means two things. The broker is registered and unfenced: only then does Metadata list
 * it, and only then can a topic with replication factor 1 be created. And, on a restart, the
 * group coordinator has loaded every __consumer_offsets partition: until then OffsetFetch
 * answers NOT_COORDINATOR, which kafkajs's admin.fetchOffsets does not retry, so the first lag
 * query after a restart would fail. One probe group per partition checks each of them.
 */
async function brokerIsServing(brokers: string[]): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'kastor-kafka-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) return false;
    const { topics } = await admin.fetchTopicMetadata();
    const offsetsTopic = topics.find((topic) => topic.name === '__consumer_offsets');
    // A first start has no such topic: it is created, and its coordinators are elected, on
    // the first FindCoordinator, which kafkajs retries until they are available.
    if (!offsetsTopic) return true;
    const probeGroups = groupIdsCoveringPartitions(offsetsTopic.partitions.length);
    await Promise.all(probeGroups.map((groupId) => admin.fetchOffsets({ groupId, topics: [] })));
    return true;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** Kafka places a group on partition abs(javaHashCode(groupId)) % partitionCount. */
function groupIdsCoveringPartitions(partitionCount: number): string[] {
  const groups = new Map<number, string>();
  for (let i = 0; groups.size < partitionCount; i++) {
    const groupId = `kastor-readiness-probe-${i}`;
    const partition = (javaStringHashCode(groupId) & 0x7fffffff) % partitionCount;
    if (!groups.has(partition)) groups.set(partition, groupId);
  }
  return [...groups.values()];
}

function javaStringHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * The secured listeners' settings: PEM key and trust stores (KIP-651) in the data folder, a PLAIN
 * user in the listener's JAAS config, and a SCRAM-SHA-512 user created when the storage is
 * formatted (`--add-scram`, KIP-900), since a KRaft broker has no ZooKeeper to hold it.
 */
async function prepareSecuredListeners(dataDir: string, { port, controllerPort, saslSslPort, mtlsPort }: { port: number; controllerPort: number; saslSslPort: number; mtlsPort: number }) {
  const certificates = generateBrokerCertificates();
  const tlsDir = path.join(dataDir, 'tls');
  await fsp.mkdir(tlsDir, { recursive: true });
  const keystore = path.join(tlsDir, 'broker-keystore.pem');
  const truststore = path.join(tlsDir, 'ca.pem');
  await fsp.writeFile(keystore, `${certificates.server.keyPem}${certificates.server.certPem}`, { mode: 0o600 });
  await fsp.writeFile(truststore, certificates.caPem);
  const secret = () => crypto.randomBytes(12).toString('base64url');
  const users = { plain: { username: 'plain-user', password: secret() }, scram: { username: 'scram-user', password: secret() } };
  // Appended after the plain broker's settings: Java properties keep the last of a repeated key.
  const properties = [
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort},SASL_SSL://127.0.0.1:${saslSslPort},SSL://127.0.0.1:${mtlsPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port},SASL_SSL://127.0.0.1:${saslSslPort},SSL://127.0.0.1:${mtlsPort}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL',
    'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-512',
    `listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${users.plain.username}="${users.plain.password}";`,
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${keystore}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${truststore}`,
    'listener.name.ssl.ssl.client.auth=required',
    '',
  ].join('\n');
  return {
    properties,
    formatArgs: ['--add-scram', `SCRAM-SHA-512=[name=${users.scram.username},password=${users.scram.password}]`],
    listeners: {
      saslSsl: [`127.0.0.1:${saslSslPort}`],
      mtls: [`127.0.0.1:${mtlsPort}`],
      caPem: certificates.caPem,
      client: certificates.client,
      users,
    } satisfies SecuredListeners,
  };
}

function serverProperties(opts: { port: number; controllerPort: number; logDir: string }): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    // A static quorum of one voter: unlike a dynamic (--standalone) quorum it stores no
    // controller endpoint in the metadata log, so the controller port may change between runs.
    `controller.quorum.voters=1@127.0.0.1:${opts.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${opts.port},CONTROLLER://127.0.0.1:${opts.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${opts.port}`,
    'inter.broker.listener.name=PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${opts.logDir}`,
    'num.partitions=1',
    'auto.create.topics.enable=false',
    // One broker: every internal topic must accept replication factor 1.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Tests join groups constantly; the default 3 s wait for more members only slows them.
    'group.initial.rebalance.delay.ms=0',
    '',
  ].join('\n');
}

const LOG4J_PROPERTIES = [
  'status = warn',
  // Kafka logs from its own shutdown hook; log4j's would close the appenders under it.
  'shutdownHook = disable',
  'appender.stdout.type = Console',
  'appender.stdout.name = STDOUT',
  'appender.stdout.layout.type = PatternLayout',
  'appender.stdout.layout.pattern = [%d] %p %m (%c)%n',
  'rootLogger.level = INFO',
  'rootLogger.appenderRef.stdout.ref = STDOUT',
  // As in Kafka's shipped config: per-request logging is noise at INFO.
  'logger.request.name = kafka.request.logger',
  'logger.request.level = WARN',
  'logger.requestChannel.name = kafka.network.RequestChannel$',
  'logger.requestChannel.level = WARN',
  '',
].join('\n');

/** Kafka's Uuid text form: 16 random bytes, base64url; never starting with '-' (a CLI flag). */
function newClusterId(): string {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * A broker left running by a crashed run would hold the log directory lock. If the process
 * that started it is gone, shut it down; if it is alive, the directory is in use.
 */
async function stopLeftoverBroker(dataDir: string, progress: Progress): Promise<void> {
  const stateFile = path.join(dataDir, STATE_FILE);
  const state = await fsp.readFile(stateFile, 'utf8').then((text) => JSON.parse(text) as BrokerState, () => undefined);
  if (!state) return;
  if (isSameProcessRunning(state.server)) {
    if (isSameProcessRunning(state.owner)) {
      throw new Error(
        `Kafka for ${dataDir} is already running on 127.0.0.1:${state.port}, started by pid ${state.owner.pid}; ` +
          'use that broker or give this run its own dataDir',
      );
    }
    progress(`stopping Kafka (pid ${state.server.pid}) left running by a previous run`);
    await terminateProcess(state.server, SHUTDOWN_STEPS);
  }
  await fsp.rm(stateFile, { force: true });
}
