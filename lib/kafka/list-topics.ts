import 'server-only';
import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import { brokerError } from './broker-error';
import { topicSizes } from './topic-sizes';
import type { TopicListEntry } from './topic-browser-contracts';

function numberOrNull(text: string | null | undefined): number | null {
  if (text === null || text === undefined || text === '') return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

/**
 * Topics a user may read (internal ones such as `__consumer_offsets` hidden) with partitions,
 * replication, message count, size and retention: metadata, offsets per topic, one
 * DescribeConfigs and one DescribeLogDirs per broker.
 */
export async function listTopics(kafka: Kafka): Promise<TopicListEntry[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const names = (await admin.listTopics()).filter((name) => !name.startsWith('__')).sort();
    if (names.length === 0) return [];
    const [{ topics }, offsets, configs, sizes] = await Promise.all([
      admin.fetchTopicMetadata({ topics: names }),
      Promise.all(names.map((name) => admin.fetchTopicOffsets(name))),
      admin.describeConfigs({
        includeSynonyms: false,
        resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms', 'retention.bytes', 'cleanup.policy'] })),
      }),
      // Sizes are a nicety: a broker that refuses DescribeLogDirs (an ACL) leaves them unknown.
      topicSizes(kafka).catch(() => new Map<string, number>()),
    ]);
    return names.map((name, index) => {
      const metadata = topics.find((topic) => topic.name === name);
      const entries = configs.resources.find((resource) => resource.resourceName === name)?.configEntries ?? [];
      const config = (key: string) => entries.find((entry) => entry.configName === key)?.configValue ?? null;
      return {
        name,
        partitions: offsets[index].length,
        messages: offsets[index].reduce((sum, entry) => sum + Math.max(0, Number(entry.high) - Number(entry.low)), 0),
        sizeBytes: sizes.get(name) ?? null,
        replicationFactor: metadata?.partitions[0]?.replicas.length ?? 0,
        retentionMs: numberOrNull(config('retention.ms')),
        retentionBytes: numberOrNull(config('retention.bytes')),
        cleanupPolicy: config('cleanup.policy'),
      };
    });
  } catch (error) {
    throw brokerError(error, 'Listing the topics');
  } finally {
    await admin.disconnect();
  }
}

