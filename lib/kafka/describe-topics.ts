import 'server-only';
import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import { brokerError } from './broker-error';
import { partitionRanges } from './browse-messages';
import type { TopicDetail } from './topic-browser-contracts';

/** The topic configs a reader cares about, in this order. */
const SHOWN_CONFIGS = ['cleanup.policy', 'retention.ms', 'retention.bytes', 'segment.bytes', 'min.insync.replicas', 'max.message.bytes', 'compression.type', 'message.timestamp.type'];

/** One topic: each partition's leader, replicas, in-sync replicas and offsets, and its configs. */
export async function describeTopic(kafka: Kafka, topic: string): Promise<TopicDetail> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const ranges = await partitionRanges(admin, topic);
    const [{ topics }, configs] = await Promise.all([
      admin.fetchTopicMetadata({ topics: [topic] }),
      admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] }),
    ]);
    const metadata = topics[0];
    const entries = configs.resources[0]?.configEntries ?? [];
    return {
      name: topic,
      partitions: ranges.map((range) => {
        const partition = metadata?.partitions.find((entry) => entry.partitionId === range.partition);
        return { ...range, leader: partition?.leader ?? -1, replicas: partition?.replicas ?? [], isr: partition?.isr ?? [] };
      }),
      replicationFactor: metadata?.partitions[0]?.replicas.length ?? 0,
      messages: ranges.reduce((sum, range) => sum + Math.max(0, range.high - range.low), 0),
      configs: SHOWN_CONFIGS.map((name) => {
        const entry = entries.find((candidate) => candidate.configName === name);
        return { name, value: entry?.configValue ?? null, isDefault: entry?.isDefault ?? true };
      }),
    };
  } catch (error) {
    throw brokerError(error, `Describing topic "${topic}"`);
  } finally {
    await admin.disconnect();
  }
}
