import 'server-only';
import type { Kafka } from 'kafkajs';
import type { Db } from '../db/prisma';
import { brokerError } from './broker-error';
import { partitionRanges } from './browse-messages';
import type { ConsumerGroupLag } from './topic-browser-contracts';

const KASTOR_GROUP = /^kastor-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * Every consumer group with committed offsets on the topic — Kastor's connectors and anyone
 * else's — with its state, members and lag per partition (log-end offset − committed offset),
 * worst lag first. Groups are asked in one OffsetFetch each, as Redpanda Console does.
 */
export async function topicConsumerGroups(kafka: Kafka, topic: string, db: Db): Promise<ConsumerGroupLag[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const ranges = await partitionRanges(admin, topic);
    const { groups } = await admin.listGroups();
    const candidates = groups.filter((group) => group.protocolType === 'consumer' || group.protocolType === '');
    const withOffsets = await Promise.all(
      candidates.map(async (group) => {
        const [offsets] = await admin.fetchOffsets({ groupId: group.groupId, topics: [topic] });
        const committed = (offsets?.partitions ?? []).filter((entry) => Number(entry.offset) >= 0);
        return { groupId: group.groupId, committed };
      }),
    );
    const relevant = withOffsets.filter((group) => group.committed.length > 0);
    if (relevant.length === 0) return [];
    const described = await admin.describeGroups(relevant.map((group) => group.groupId));
    const connectorIds = relevant.flatMap((group) => KASTOR_GROUP.exec(group.groupId)?.[1] ?? []);
    const connectors = connectorIds.length ? await db.connector.findMany({ where: { id: { in: connectorIds } }, select: { id: true, name: true } }) : [];
    return relevant
      .map((group): ConsumerGroupLag => {
        const description = described.groups.find((entry) => entry.groupId === group.groupId);
        const partitions = ranges.map((range) => {
          const raw = group.committed.find((entry) => entry.partition === range.partition)?.offset;
          const committedOffset = raw === undefined ? null : Number(raw);
          const from = committedOffset === null ? range.low : Math.max(committedOffset, range.low);
          return { partition: range.partition, committedOffset, logEndOffset: range.high, lag: Math.max(0, range.high - from) };
        });
        const connectorId = KASTOR_GROUP.exec(group.groupId)?.[1];
        return {
          groupId: group.groupId,
          state: description?.state ?? 'Unknown',
          members: description?.members.length ?? 0,
          connector: connectors.find((connector) => connector.id === connectorId) ?? null,
          totalLag: partitions.reduce((sum, partition) => sum + partition.lag, 0),
          partitions,
        };
      })
      .sort((a, b) => b.totalLag - a.totalLag || a.groupId.localeCompare(b.groupId));
  } catch (error) {
    throw brokerError(error, `Reading the consumer groups of topic "${topic}"`);
  } finally {
    await admin.disconnect();
  }
}
