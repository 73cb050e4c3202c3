import type { Kafka } from 'kafkajs';
import { z } from 'zod';
import { AppError, ErrorCode } from '../errors';
import { brokerError } from './broker-error';
import { readPartitionMessages, type SampledMessage } from './read-partition-messages';

/** The wizard offers up to 100; more only makes the answer heavier, not the inference better. */
export const SAMPLE_MAX_MESSAGES = 100;
/** An answer's budget: large records are kept whole (the wizard parses them) until it is spent. */
export const SAMPLE_MAX_BYTES = 1024 * 1024;

export const ZSampleLimit = z.coerce
  .number()
  .int()
  .min(1, 'must be at least 1')
  .max(SAMPLE_MAX_MESSAGES, `must be at most ${SAMPLE_MAX_MESSAGES}`)
  .default(20);

function sizeOf(message: SampledMessage): number {
  return (message.value?.length ?? 0) + (message.valueBase64?.length ?? 0) + (message.key?.length ?? 0) + JSON.stringify(message.headers).length;
}

/** The newest messages that fit in SAMPLE_MAX_BYTES; always at least one. */
function withinBudget(messages: SampledMessage[]): SampledMessage[] {
  let total = 0;
  const kept: SampledMessage[] = [];
  for (const message of messages) {
    total += sizeOf(message);
    if (kept.length > 0 && total > SAMPLE_MAX_BYTES) break;
    kept.push(message);
  }
  return kept;
}

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
    return withinBudget(
      perPartition
        .flat()
        .sort((a, b) => b.timestamp.localeCompare(a.timestamp) || a.partition - b.partition || b.offset - a.offset)
        .slice(0, limit),
    );
  } catch (error) {
    throw brokerError(error, `Reading messages of topic "${topic}"`);
  } finally {
    await admin.disconnect();
  }
}
