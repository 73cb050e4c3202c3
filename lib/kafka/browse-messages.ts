import 'server-only';
import type { Admin, Kafka } from 'kafkajs';
import { AppError, ErrorCode } from '../errors';
import { brokerError } from './broker-error';
import { readPartitionMessages } from './read-partition-messages';
import type { BrowseResult, BrowsedMessage, PartitionRange, TBrowseRequest } from './topic-browser-contracts';

/** The topic's partitions with their offsets; 404 when the topic or the partition does not exist. */
export async function partitionRanges(admin: Admin, topic: string, partition?: number): Promise<PartitionRange[]> {
  // Asked first: fetching offsets of a missing topic retries for seconds before it gives up.
  if (!(await admin.listTopics()).includes(topic)) throw new AppError(ErrorCode.NOT_FOUND, `Topic "${topic}" does not exist on this cluster`);
  const ranges = (await admin.fetchTopicOffsets(topic))
    .map((entry) => ({ partition: entry.partition, low: Number(entry.low), high: Number(entry.high) }))
    .sort((a, b) => a.partition - b.partition);
  if (partition === undefined) return ranges;
  const chosen = ranges.filter((range) => range.partition === partition);
  if (chosen.length === 0) {
    throw new AppError(ErrorCode.NOT_FOUND, `Topic "${topic}" has no partition ${partition} (it has ${ranges.length})`, [{ field: 'partition', message: `must be below ${ranges.length}` }]);
  }
  return chosen;
}

/**
 * Messages of a topic read without any consumer group. `newest`: the latest `limit`, newest
 * first. `offset`: one partition from an offset on. `timestamp`: from the first record at or
 * after a time, oldest first across the partitions.
 */
export async function browseMessages(kafka: Kafka, request: TBrowseRequest): Promise<BrowseResult> {
  const { topic, limit } = request;
  const admin = kafka.admin();
  try {
    await admin.connect();
    const partitions = await partitionRanges(admin, topic, request.partition);
    let starts: { partition: number; from: number }[];
    if (request.mode === 'offset') {
      starts = partitions.map((range) => ({ partition: range.partition, from: Math.max(range.low, request.offset!) }));
    } else if (request.mode === 'timestamp') {
      const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, request.timestamp);
      starts = partitions.map((range) => {
        const found = Number(offsets.find((entry) => entry.partition === range.partition)?.offset ?? range.high);
        // -1: no record at or after the time.
        return { partition: range.partition, from: found < 0 ? range.high : Math.max(range.low, found) };
      });
    } else {
      starts = partitions.map((range) => ({ partition: range.partition, from: Math.max(range.low, range.high - limit) }));
    }
    const perPartition = await Promise.all(
      starts
        .filter((start) => start.from < (partitions.find((range) => range.partition === start.partition)?.high ?? 0))
        .map(async (start) => (await readPartitionMessages(kafka, { topic, partition: start.partition, fromOffset: start.from, maxMessages: limit })).map((message) => ({ ...message, topic }))),
    );
    const all: BrowsedMessage[] = perPartition.flat();
    const byTimeThenOffset = (a: BrowsedMessage, b: BrowsedMessage) => a.timestamp.localeCompare(b.timestamp) || a.partition - b.partition || a.offset - b.offset;
    const messages = request.mode === 'newest' ? all.sort((a, b) => byTimeThenOffset(b, a)).slice(0, limit) : all.sort(byTimeThenOffset).slice(0, limit);
    return { messages, partitions };
  } catch (error) {
    throw brokerError(error, `Reading messages of topic "${topic}"`);
  } finally {
    await admin.disconnect();
  }
}
