import type { Kafka } from 'kafkajs';
import { z } from 'zod';
import { AppError, ErrorCode } from '../errors';
import { brokerError } from './broker-error';
import { readPartitionMessages, type SampledMessage } from './read-partition-messages';

export const ZSampleLimit = z.coerce.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(20);

/**
 * The `limit` most recent records of a topic, newest first, spread over its partitions: each
 * partition is read from `high − limit`, then the newest across all are kept. No consumer group
 * is joined or moved.
 */
export async function sampleTopic(kafka: Kafka, topic: string, limit: number): Promise<SampledMessage[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    // Asked first: fetching offsets of a missing topic retries for seconds before it gives up.
    if (!(await admin.listTopics()).includes(topic)) throw new AppError(ErrorCode.NOT_FOUND, `Topic "${topic}" does not exist on this cluster`);
    const offsets = await admin.fetchTopicOffsets(topic);
    const perPartition = await Promise.all(
      offsets
        .filter((entry) => Number(entry.high) > Number(entry.low))
        .map((entry) => {
          const fromOffset = Math.max(Number(entry.low), Number(entry.high) - limit);
          return readPartitionMessages(kafka, { topic, partition: entry.partition, fromOffset, maxMessages: limit });
        }),
    );
    return perPartition
      .flat()
      .sort((a, b) => b.timestamp.localeCompare(a.timestamp) || a.partition - b.partition || b.offset - a.offset)
      .slice(0, limit);
  } catch (error) {
    throw brokerError(error, `Reading messages of topic "${topic}"`);
  } finally {
    await admin.disconnect();
  }
}
