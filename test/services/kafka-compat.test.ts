import { createRequire } from 'node:module';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type LogEntry } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KAFKA_VERSION, startKafka, type RunningKafka } from '../../services/kafka';

/**
 * kafkajs 2.2.4 (last released 2022) against the Apache Kafka 4.x broker we run. Kafka 4.0
 * removed old protocol versions (KIP-896), and kafkajs picks min(its newest, broker's newest)
 * without checking the broker's minimum, so an API whose newest kafkajs version is below the
 * broker's floor would fail at run time. Every call the product relies on is exercised here.
 */

const TOPIC = 'compat-orders';
const GROUP = 'kastor-compat';

interface Received {
  consumer: string;
  partition: number;
  offset: number;
  key: string;
  batch: number;
}

let dataDir: string;
let broker: RunningKafka;
let kafka: Kafka;
let admin: Admin;
const kafkaLogs: { level: string; namespace: string; message: string }[] = [];
const consumers: Consumer[] = [];
const received: Received[] = [];

function createClient(brokers: string[]): Kafka {
  return new Kafka({
    clientId: 'kastor-compat-test',
    brokers,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        kafkaLogs.push({ level: logLevel[level], namespace, message: log.message });
      },
  });
}

async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Lag per partition as the worker computes it: log-end offset − the group's committed offset. */
async function lagByPartition(client: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  const [ends, [committed]] = await Promise.all([
    client.fetchTopicOffsets(topic),
    client.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  const lag = new Map<number, number>();
  for (const end of ends) {
    const commit = Number(committed.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
    lag.set(end.partition, Number(end.high) - (commit < 0 ? Number(end.low) : commit));
  }
  return lag;
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
const uniqueDelivered = (batch: number) =>
  new Set(received.filter((r) => r.batch === batch).map((r) => `${r.partition}:${r.offset}`)).size;

async function produce(batch: number, count: number): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({
    topic: TOPIC,
    acks: -1,
    messages: Array.from({ length: count }, (_, i) => ({
      key: `customer-${i % 10}`,
      value: JSON.stringify({ batch, i }),
    })),
  });
  await producer.disconnect();
}

/** Consumes with manual commits after each batch: the worker's commit-after-write shape. */
async function startConsumer(name: string, onAssignment?: (partitions: number[]) => void): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: GROUP, sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  consumers.push(consumer);
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => onAssignment?.(payload.memberAssignment[TOPIC] ?? []));
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      for (const message of batch.messages) {
        const value = JSON.parse(message.value!.toString()) as { batch: number };
        received.push({ consumer: name, partition: batch.partition, offset: Number(message.offset), key: message.key!.toString(), batch: value.batch });
        resolveOffset(message.offset);
      }
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) },
      ]);
      await heartbeat();
    },
  });
  return consumer;
}

/** ApiVersions v0 over a raw socket: the broker's supported range for every API key. */
async function brokerApiVersions(address: string): Promise<Map<number, { min: number; max: number }>> {
  const [host, port] = address.split(':');
  const clientId = Buffer.from('kastor-compat-probe');
  const request = Buffer.alloc(14 + clientId.length);
  request.writeInt32BE(request.length - 4, 0);
  request.writeInt16BE(18, 4); // ApiVersions
  request.writeInt16BE(0, 6);
  request.writeInt32BE(1, 8); // correlation id
  request.writeInt16BE(clientId.length, 12);
  clientId.copy(request, 14);
  const response = await new Promise<Buffer>((resolve, reject) => {
    const socket = net.connect({ host, port: Number(port) }, () => socket.write(request));
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
        socket.destroy();
        resolve(buffered);
      }
    });
    socket.on('error', reject);
  });
  expect(response.readInt16BE(8)).toBe(0);
  const versions = new Map<number, { min: number; max: number }>();
  const count = response.readInt32BE(10);
  for (let i = 0, at = 14; i < count; i++, at += 6) {
    versions.set(response.readInt16BE(at), { min: response.readInt16BE(at + 2), max: response.readInt16BE(at + 4) });
  }
  return versions;
}

beforeAll(async () => {
  dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kastor-kafka-compat-'));
  broker = await startKafka({ dataDir });
  kafka = createClient(broker.brokers);
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await Promise.allSettled(consumers.map((consumer) => consumer.disconnect()));
  await admin?.disconnect();
  await broker?.stop();
  if (dataDir) await fsp.rm(dataDir, { recursive: true, force: true });
  const errors = kafkaLogs.filter((entry) => entry.level === 'ERROR');
  if (errors.length) console.info(`kafkajs logged ${errors.length} error(s):\n${errors.map((e) => `  [${e.namespace}] ${e.message}`).join('\n')}`);
});

describe(`kafkajs 2.2.4 against Apache Kafka ${KAFKA_VERSION} (KRaft)`, () => {
  it('negotiates a version inside the broker range for every API kafkajs implements', async () => {
    const require = createRequire(import.meta.url);
    const { requests } = require('kafkajs/src/protocol/requests') as { requests: Record<string, { versions: string[] }> };
    const apiKeys = require('kafkajs/src/protocol/requests/apiKeys') as Record<string, number>;
    const supported = await brokerApiVersions(broker.brokers[0]);
    const outOfRange: string[] = [];
    for (const [name, key] of Object.entries(apiKeys)) {
      const implemented = requests[name]?.versions.map(Number) ?? [];
      const range = supported.get(key);
      if (!implemented.length || !range) continue;
      const chosen = Math.min(Math.max(...implemented), range.max);
      if (chosen < range.min) outOfRange.push(`${name}: kafkajs would send v${chosen}, broker accepts v${range.min}-v${range.max}`);
    }
    expect(outOfRange).toEqual([]);
  });

  it('creates a topic with 4 partitions', async () => {
    await expect(
      admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 4, replicationFactor: 1 }], waitForLeaders: true }),
    ).resolves.toBe(true);
    expect(await admin.listTopics()).toContain(TOPIC);
    const { topics } = await admin.fetchTopicMetadata({ topics: [TOPIC] });
    expect(topics[0].partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3]);
  });

  it('warns about the v2 partitioner only when createPartitioner is omitted', () => {
    const partitionerWarnings = () => kafkaLogs.filter((e) => e.message.includes('switched default partitioner')).length;
    kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    expect(partitionerWarnings()).toBe(0);
    kafka.producer();
    expect(partitionerWarnings()).toBe(process.env.KAFKAJS_NO_PARTITIONER_WARNING == null ? 1 : 0);
  });

  it('consumes keyed messages with eachBatch and commits offsets; lag is zero afterwards', async () => {
    await produce(1, 100);
    await startConsumer('first');
    await waitFor('100 messages', () => uniqueDelivered(1) === 100);

    const partitionsOfKey = new Map<string, Set<number>>();
    for (const r of received) partitionsOfKey.set(r.key, (partitionsOfKey.get(r.key) ?? new Set()).add(r.partition));
    expect([...partitionsOfKey.values()].every((partitions) => partitions.size === 1)).toBe(true);
    for (const partition of new Set(received.map((r) => r.partition))) {
      const offsets = received.filter((r) => r.partition === partition).map((r) => r.offset);
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }

    await waitFor('commits to reach the log end', async () => sum((await lagByPartition(admin, GROUP, TOPIC)).values()) === 0);
    const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(TOPIC), admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] })]);
    expect(sum(ends.map((e) => Number(e.high)))).toBe(100);
    for (const end of ends) {
      expect(committed.partitions.find((p) => p.partition === end.partition)?.offset).toBe(end.high);
    }
  });

  let secondBatchStart = 0;
  it('shows lag growing while the consumer is paused and draining after resume', async () => {
    const [consumer] = consumers;
    await new Promise((resolve) => setTimeout(resolve, 5));
    secondBatchStart = Date.now();
    consumer.pause([{ topic: TOPIC }]);
    expect(consumer.paused()).toEqual([{ topic: TOPIC, partitions: [0, 1, 2, 3] }]);
    await produce(2, 20);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(uniqueDelivered(2)).toBe(0);
    expect(sum((await lagByPartition(admin, GROUP, TOPIC)).values())).toBe(20);

    consumer.resume([{ topic: TOPIC }]);
    await waitFor('the paused batch', () => uniqueDelivered(2) === 20);
    await waitFor('lag to drain', async () => sum((await lagByPartition(admin, GROUP, TOPIC)).values()) === 0);
  });

  it('finds offsets by timestamp', async () => {
    const ends = await admin.fetchTopicOffsets(TOPIC);
    const byTimestamp = await admin.fetchTopicOffsetsByTimestamp(TOPIC, secondBatchStart);
    for (const { partition, offset } of byTimestamp) {
      const firstOfBatch2 = received.filter((r) => r.partition === partition && r.batch === 2).map((r) => r.offset);
      const expected = firstOfBatch2.length ? Math.min(...firstOfBatch2) : Number(ends.find((e) => e.partition === partition)!.high);
      expect(Number(offset)).toBe(expected);
    }
    const fromStart = await admin.fetchTopicOffsetsByTimestamp(TOPIC, 0);
    expect(fromStart.map((p) => p.offset)).toEqual(['0', '0', '0', '0']);
  });

  it('splits the partitions between two members of the group and loses nothing', async () => {
    const assignments = new Map<string, number[]>();
    const first = consumers[0];
    first.on(first.events.GROUP_JOIN, ({ payload }) => assignments.set('first', payload.memberAssignment[TOPIC] ?? []));
    await startConsumer('second', (partitions) => assignments.set('second', partitions));

    await waitFor('a rebalance that gives both members partitions', () => {
      const a = assignments.get('first') ?? [];
      const b = assignments.get('second') ?? [];
      return a.length > 0 && b.length > 0 && [...a, ...b].sort().join() === '0,1,2,3';
    });
    const description = await admin.describeGroups([GROUP]);
    expect(description.groups[0]).toMatchObject({ groupId: GROUP, state: 'Stable', protocolType: 'consumer' });
    expect(description.groups[0].members).toHaveLength(2);
    const { groups } = await admin.listGroups();
    expect(groups).toContainEqual({ groupId: GROUP, protocolType: 'consumer' });

    await produce(3, 40);
    await waitFor('the batch produced after the rebalance', () => uniqueDelivered(3) === 40);
    const consumersOfBatch3 = new Set(received.filter((r) => r.batch === 3).map((r) => r.consumer));
    expect(consumersOfBatch3).toEqual(new Set(['first', 'second']));
    await waitFor('lag to drain', async () => sum((await lagByPartition(admin, GROUP, TOPIC)).values()) === 0);
  });

  it('resets and sets the offsets of a stopped group, and a new member resumes from them', async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.disconnect()));
    await waitFor('the group to empty', async () => (await admin.describeGroups([GROUP])).groups[0].state === 'Empty');

    // resetOffsets commits the sentinel -2 ("earliest"), not an offset: a kafkajs consumer
    // later resolves a negative committed offset with its *own* fromBeginning setting, and a
    // lag query sees -2. fetchOffsets({ resolveOffsets: true }) turns it into a real offset.
    await admin.resetOffsets({ groupId: GROUP, topic: TOPIC, earliest: true });
    const [sentinel] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    expect(sentinel.partitions.map((p) => p.offset)).toEqual(['-2', '-2', '-2', '-2']);
    await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC], resolveOffsets: true });
    const [reset] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    expect(reset.partitions.map((p) => p.offset)).toEqual(['0', '0', '0', '0']);
    expect(sum((await lagByPartition(admin, GROUP, TOPIC)).values())).toBe(160);

    const ends = await admin.fetchTopicOffsets(TOPIC);
    const target = ends
      .map((e) => ({ partition: e.partition, offset: String(Math.max(0, Number(e.high) - 1)) }))
      .sort((a, b) => a.partition - b.partition);
    await admin.setOffsets({ groupId: GROUP, topic: TOPIC, partitions: target });
    const [set] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    expect(set.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset)).toEqual(target.map((t) => t.offset));

    const before = received.length;
    await startConsumer('after-set');
    const nonEmpty = ends.filter((e) => Number(e.high) > 0).length;
    await waitFor('one message per partition', () => received.length - before === nonEmpty);
    for (const r of received.slice(before)) {
      expect(r.offset).toBe(Number(ends.find((e) => e.partition === r.partition)!.high) - 1);
    }
    await Promise.all(consumers.splice(0).map((consumer) => consumer.disconnect()));
  });

  it('keeps messages and committed offsets across a broker restart on the same dataDir', async () => {
    const endsBefore = await admin.fetchTopicOffsets(TOPIC);
    const [committedBefore] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    await admin.disconnect();
    await broker.stop();

    broker = await startKafka({ dataDir });
    kafka = createClient(broker.brokers);
    admin = kafka.admin();
    await admin.connect();
    expect(await admin.fetchTopicOffsets(TOPIC)).toEqual(endsBefore);
    const [committedAfter] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    expect(committedAfter).toEqual(committedBefore);
  });

  it('deletes the group and the topic', async () => {
    await admin.deleteGroups([GROUP]).catch((error: { groups?: unknown }) => {
      throw new Error(`deleteGroups failed: ${JSON.stringify(error.groups ?? error)}`);
    });
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(GROUP);
    await admin.deleteTopics({ topics: [TOPIC] });
    await waitFor('the topic to disappear', async () => !(await admin.listTopics()).includes(TOPIC));
  });
});
