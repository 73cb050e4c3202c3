import type { Kafka } from 'kafkajs';
import { brokerError } from './broker-error';

export interface TopicSummary {
  name: string;
  partitions: number;
  /** Σ(high − low) over the partitions: what a consumer starting at earliest would read. */
  messages: number;
}

/** Topics a user may ingest from; internal ones (`__consumer_offsets`, `__transaction_state`, …) are hidden. */
export async function listTopics(kafka: Kafka): Promise<TopicSummary[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const names = (await admin.listTopics()).filter((name) => !name.startsWith('__')).sort();
    return await Promise.all(
      names.map(async (name) => {
        const offsets = await admin.fetchTopicOffsets(name);
        const messages = offsets.reduce((sum, entry) => sum + Math.max(0, Number(entry.high) - Number(entry.low)), 0);
        return { name, partitions: offsets.length, messages };
      }),
    );
  } catch (error) {
    throw brokerError(error, 'Listing the topics');
  } finally {
    await admin.disconnect();
  }
}
