import 'server-only';
import type { Kafka } from 'kafkajs';

/** Reads Kafka's classic (non-flexible) wire types, in order. */
class WireReader {
  private offset = 0;

  constructor(private readonly data: Buffer) {}

  int16(): number {
    const value = this.data.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    const value = this.data.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  int64(): bigint {
    const value = this.data.readBigInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  boolean(): boolean {
    return this.data.readInt8(this.offset++) !== 0;
  }

  string(): string {
    const length = this.int16();
    const value = this.data.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  array<T>(read: () => T): T[] {
    const count = this.int32();
    return Array.from({ length: Math.max(0, count) }, read);
  }
}

/** What kafkajs's request framing takes from `encode()`: an encoder-like object holding the bytes. */
interface EncodedPayload {
  buf: Buffer;
  buffer: Buffer;
}

interface ProtocolRequest {
  request: { apiKey: number; apiVersion: number; apiName: string; encode(): Promise<EncodedPayload> };
  response: { decode(data: Buffer): Promise<unknown>; parse(data: unknown): Promise<unknown> };
}

interface InternalBroker {
  [key: symbol]: (request: ProtocolRequest) => Promise<unknown>;
}

interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  brokerPool: { metadata: { brokers: { nodeId: number }[] } | null };
  refreshMetadata(): Promise<void>;
  findBroker(options: { nodeId: string }): Promise<InternalBroker>;
}

/** Kafka's DescribeLogDirs (api key 35), version 1: the oldest version Kafka 4 still answers. */
const DESCRIBE_LOG_DIRS = 35;

interface LogDirsResponse {
  results: { errorCode: number; topics: { name: string; partitions: { partition: number; size: bigint }[] }[] }[];
}

function describeLogDirsRequest(): ProtocolRequest {
  return {
    request: {
      apiKey: DESCRIBE_LOG_DIRS,
      apiVersion: 1,
      apiName: 'DescribeLogDirs',
      // A null topic list (array length -1) asks for every partition the broker holds.
      encode: async () => {
        const body = Buffer.alloc(4);
        body.writeInt32BE(-1);
        return { buf: body, buffer: body };
      },
    },
    response: {
      decode: async (data: Buffer): Promise<LogDirsResponse> => {
        const reader = new WireReader(data);
        reader.int32(); // throttle time
        return {
          results: reader.array(() => {
            const errorCode = reader.int16();
            reader.string(); // the log directory
            const topics = reader.array(() => ({
              name: reader.string(),
              partitions: reader.array(() => {
                const entry = { partition: reader.int32(), size: reader.int64() };
                reader.int64(); // offset lag
                reader.boolean(); // is future key
                return entry;
              }),
            }));
            return { errorCode, topics };
          }),
        };
      },
      parse: async (data: unknown) => data,
    },
  };
}

function createCluster(kafka: Kafka): InternalCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((candidate) => candidate.description === 'private:Kafka:createCluster');
  const factory = symbol ? (kafka as unknown as Record<symbol, unknown>)[symbol] : undefined;
  if (typeof factory !== 'function') throw new Error('This kafkajs version exposes no cluster factory');
  return factory({ allowAutoTopicCreation: false }) as InternalCluster;
}

function sendRequestOf(broker: InternalBroker): (request: ProtocolRequest) => Promise<unknown> {
  const prototype = Object.getPrototypeOf(broker) as object;
  const symbol = Object.getOwnPropertySymbols(prototype).find((candidate) => candidate.description === 'private:Broker:sendRequest');
  if (!symbol) throw new Error('This kafkajs version exposes no broker request method');
  return (request) => broker[symbol](request);
}

/**
 * Bytes each topic takes on disk, from every broker's DescribeLogDirs (kafkajs's admin has no
 * such call; its own broker connection sends it). A partition's size is its largest replica's,
 * so replication does not multiply it. Null for a topic no broker reported.
 */
export async function topicSizes(kafka: Kafka): Promise<Map<string, number>> {
  const cluster = createCluster(kafka);
  await cluster.connect();
  try {
    await cluster.refreshMetadata();
    const brokers = cluster.brokerPool.metadata?.brokers ?? [];
    const partitionSizes = new Map<string, number>();
    for (const { nodeId } of brokers) {
      const broker = await cluster.findBroker({ nodeId: String(nodeId) });
      const response = (await sendRequestOf(broker)(describeLogDirsRequest())) as LogDirsResponse;
      for (const dir of response.results) {
        if (dir.errorCode !== 0) continue;
        for (const topic of dir.topics) {
          for (const { partition, size } of topic.partitions) {
            const key = `${topic.name}\u0000${partition}`;
            partitionSizes.set(key, Math.max(partitionSizes.get(key) ?? 0, Number(size)));
          }
        }
      }
    }
    const sizes = new Map<string, number>();
    for (const [key, size] of partitionSizes) {
      const topic = key.slice(0, key.indexOf('\u0000'));
      sizes.set(topic, (sizes.get(topic) ?? 0) + size);
    }
    return sizes;
  } finally {
    await cluster.disconnect();
  }
}
