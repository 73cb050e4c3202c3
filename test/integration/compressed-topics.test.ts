import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnector } from '../../lib/connectors/save-connector';
import { gameplayConnectorDefinition, toKafkaMessage } from '../../lib/demo/gameplay';
import { createKafka } from '../../lib/kafka/kafka-client';
import { readPartitionMessages } from '../../lib/kafka/read-partition-messages';
import { kafkaBrokers, kustoCount, produce, secretKey, startPipelineWorld, testKafka, uniqueName, waitFor, type PipelineWorld } from '../support/harness';

/**
 * Topics stored compressed with snappy, lz4 and zstd. The broker recompresses what it is sent to
 * the topic's `compression.type` with the Java codecs, so these batches are exactly what a
 * production cluster holds.
 */
const CODECS = ['snappy', 'lz4', 'zstd'] as const;
const EVENTS_PER_TOPIC = 200;
let world: PipelineWorld;

beforeAll(async () => {
  world = await startPipelineWorld();
});

afterAll(async () => {
  await world?.close();
});

async function createCompressedTopic(topic: string, codec: (typeof CODECS)[number]): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, configEntries: [{ name: 'compression.type', value: codec }] }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

function events(codec: string) {
  return Array.from({ length: EVENTS_PER_TOPIC }, (_, index) =>
    toKafkaMessage({ playerId: index, gameId: CODECS.indexOf(codec as (typeof CODECS)[number]), win: index % 2, score: index * 3, eventTime: '2026-11-28 05:00:00.000' }),
  );
}

describe('compressed topics', () => {
  it('samples and ingests topics the broker stores with snappy, lz4 and zstd', async () => {
    const topics = Object.fromEntries(CODECS.map((codec) => [codec, uniqueName(`compressed_${codec}`)]));
    for (const codec of CODECS) {
      await createCompressedTopic(topics[codec], codec);
      await produce(topics[codec], events(codec));
    }

    // The wizard's sample and the topic browser read without a consumer group.
    const kafka = createKafka({ brokers: kafkaBrokers(), securityProtocol: 'PLAINTEXT', saslMechanism: null, saslUsername: null, saslPasswordEnc: null }, secretKey(), 'compressed-test');
    for (const codec of CODECS) {
      const messages = (await Promise.all([0, 1].map((partition) => readPartitionMessages(kafka, { topic: topics[codec], partition, fromOffset: 0, maxMessages: EVENTS_PER_TOPIC })))).flat();
      expect(messages, codec).toHaveLength(EVENTS_PER_TOPIC);
      expect(JSON.parse(messages[0].value!)).toMatchObject({ gameId: CODECS.indexOf(codec) });
    }

    // A connector over all three lands every event.
    await createConnector(
      world.database.db,
      gameplayConnectorDefinition(world.ids, { name: 'compressed', source: { topics: CODECS.map((codec) => topics[codec]), startFrom: 'earliest' }, target: { ...gameplayConnectorDefinition(world.ids).target!, table: 'Compressed' } }),
      'test',
    );
    await waitFor(async () => expect(await kustoCount(world.engine.url, 'gamesdb', 'Compressed')).toBe(EVENTS_PER_TOPIC * CODECS.length), { timeoutMs: 60_000, intervalMs: 500 });
  });
});
