import 'server-only';
import type { Kafka } from 'kafkajs';

export interface SampledMessage {
  partition: number;
  offset: number;
  timestamp: string;
  key: string | null;
  value: string | null;
  /** The value's exact bytes when it is not valid UTF-8 text; null otherwise. */
  valueBase64: string | null;
  headers: Record<string, string>;
}

interface FetchedRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | Buffer[] | undefined>;
  isControlRecord?: boolean;
}

interface FetchBroker {
  fetch(request: {
    replicaId?: number;
    isolationLevel?: number;
    maxWaitTime?: number;
    minBytes?: number;
    maxBytes?: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: { partition: number; errorCode: number; messages: FetchedRecord[] }[] }[] }>;
}

interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(options: { nodeId: string }): Promise<FetchBroker>;
}

/**
 * kafkajs has no consumer without a group (no assign()), and joining a group would show up on the
 * broker and could move offsets. Its client builds clusters through a private symbol-keyed
 * factory; the cluster's broker connections can send a plain Fetch, which is what `assign()`
 * does in the Java client.
 */
function createCluster(kafka: Kafka): InternalCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((candidate) => candidate.description === 'private:Kafka:createCluster');
  const factory = symbol ? (kafka as unknown as Record<symbol, unknown>)[symbol] : undefined;
  if (typeof factory !== 'function') throw new Error('This kafkajs version exposes no cluster factory; group-less reads are unavailable');
  return factory({ allowAutoTopicCreation: false }) as InternalCluster;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(bytes: Buffer): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

// Read-committed skips records of aborted transactions, as a connector's consumer would.
const READ_COMMITTED = 1;
const FETCH_MAX_BYTES = 4 * 1024 * 1024;

function toSampledMessage(partition: number, record: FetchedRecord): SampledMessage {
  const value = record.value === null ? null : decodeText(record.value);
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries(record.headers ?? {})) {
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (first !== undefined) headers[name] = first.toString('utf8');
  }
  return {
    partition,
    offset: Number(record.offset),
    timestamp: new Date(Number(record.timestamp)).toISOString(),
    key: record.key === null ? null : record.key.toString('utf8'),
    value,
    valueBase64: record.value !== null && value === null ? record.value.toString('base64') : null,
    headers,
  };
}

/**
 * Reads up to `maxMessages` records of one partition from `fromOffset` on, without joining or
 * committing for any consumer group. Fewer come back when the partition ends first.
 */
export async function readPartitionMessages(
  kafka: Kafka,
  {
    topic,
    partition,
    fromOffset,
    maxMessages,
    maxBytes = FETCH_MAX_BYTES,
  }: {
    topic: string;
    partition: number;
    fromOffset: number;
    maxMessages: number;
    /** Per fetch; the broker still returns a first record batch larger than this whole (KIP-74). */
    maxBytes?: number;
  },
): Promise<SampledMessage[]> {
  if (maxMessages <= 0) return [];
  const cluster = createCluster(kafka);
  await cluster.connect();
  try {
    await cluster.addTargetTopic(topic);
    const leaders = cluster.findLeaderForPartitions(topic, [partition]);
    const nodeId = Object.keys(leaders)[0];
    if (nodeId === undefined) throw new Error(`Topic ${topic} has no partition ${partition}`);
    const broker = await cluster.findBroker({ nodeId });
    const messages: SampledMessage[] = [];
    let offset = fromOffset;
    while (messages.length < maxMessages) {
      const { responses } = await broker.fetch({
        replicaId: -1,
        isolationLevel: READ_COMMITTED,
        maxWaitTime: 0,
        minBytes: 1,
        maxBytes,
        topics: [{ topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes }] }],
      });
      const records = responses
        .flatMap((response) => response.partitions)
        .filter((entry) => entry.partition === partition)
        .flatMap((entry) => entry.messages)
        .filter((record) => Number(record.offset) >= offset);
      if (records.length === 0) break;
      for (const record of records) {
        if (!record.isControlRecord && messages.length < maxMessages) messages.push(toSampledMessage(partition, record));
      }
      offset = Number(records[records.length - 1].offset) + 1;
    }
    return messages;
  } finally {
    await cluster.disconnect();
  }
}
