import 'server-only';
import type { Admin } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** null while the group has never committed on this partition. */
  committedOffset: number | null;
  logStartOffset: number;
  logEndOffset: number;
  lag: number;
}

export type TopicOffsets = Awaited<ReturnType<Admin['fetchTopicOffsets']>>;

/**
 * Lag from the admin API (ListOffsets + OffsetFetch), independent of consumption, so a paused or
 * dead connector still shows its lag growing. With no committed offset everything still retained
 * counts as lag. `topicOffsets` lets a caller reading many groups of the same topics ask for each
 * topic's offsets once.
 */
export async function fetchConsumerLag(admin: Admin, groupId: string, topics: string[], topicOffsets = (topic: string): Promise<TopicOffsets> => admin.fetchTopicOffsets(topic)): Promise<PartitionLag[]> {
  const [committedByTopic, ...endsByTopic] = await Promise.all([admin.fetchOffsets({ groupId, topics }), ...topics.map(topicOffsets)]);
  const result: PartitionLag[] = [];
  topics.forEach((topic, topicIndex) => {
    const committed = committedByTopic.find((entry) => entry.topic === topic)?.partitions ?? [];
    for (const end of endsByTopic[topicIndex]) {
      const logEndOffset = Number(end.high);
      const logStartOffset = Number(end.low);
      const raw = committed.find((entry) => entry.partition === end.partition)?.offset;
      const committedOffset = raw === undefined || Number(raw) < 0 ? null : Number(raw);
      const from = committedOffset === null ? logStartOffset : Math.max(committedOffset, logStartOffset);
      result.push({ topic, partition: end.partition, committedOffset, logStartOffset, logEndOffset, lag: Math.max(0, logEndOffset - from) });
    }
  });
  return result.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}
