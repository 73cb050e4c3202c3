import 'server-only';
import { asAuditActor, type TActorInput } from '../auth/principal';
import type { Db } from '../db/prisma';
import { AppError, ErrorCode, parseOrThrow } from '../errors';
import { createKafka } from '../kafka/kafka-client';
import { consumerGroupId } from './connector-definition';
import { getConnector } from './read-connectors';
import { ZResetOffsetsRequest, type ResetPartition } from './reset-offsets-contracts';
import { parseStoredDefinition } from './stored-definition';

/** Kafka refuses to move a group's offsets while it has members; KIP-875 likewise requires STOPPED. */
const EMPTY_GROUP_STATES = ['Empty', 'Dead'];

/**
 * Moves the connector's committed offsets to the earliest or latest retained record, or to the
 * first record at or after a point in time. Offsets are resolved to real numbers before they are
 * written: kafkajs's `resetOffsets` would store the placeholder -2, which lag cannot be read from.
 */
export async function resetConnectorOffsets(db: Db, id: string, input: unknown, actor: TActorInput, secretKey: string): Promise<ResetPartition[]> {
  const request = parseOrThrow(ZResetOffsetsRequest, input);
  await getConnector(db, id);
  const connector = await db.connector.findUniqueOrThrow({ where: { id }, include: { status: true, kafkaConnection: true } });
  if (connector.desiredState !== 'STOPPED' || connector.status?.actualState !== 'STOPPED') {
    throw new AppError(ErrorCode.CONFLICT, 'Offsets can only be reset while the connector is stopped; stop it and wait until it reports STOPPED');
  }
  const { topics } = parseStoredDefinition(connector.definition, connector).source;
  const groupId = consumerGroupId(id);
  const admin = createKafka(connector.kafkaConnection, secretKey, 'kastor-web').admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    const state = groups[0]?.state ?? 'Dead';
    if (!EMPTY_GROUP_STATES.includes(state)) {
      throw new AppError(ErrorCode.CONFLICT, `The consumer group still has members (state ${state}); wait until every worker has left it`);
    }
    const partitions: ResetPartition[] = [];
    for (const topic of topics) {
      const offsets =
        request.to === 'timestamp'
          ? await admin.fetchTopicOffsetsByTimestamp(topic, Date.parse(request.timestamp!))
          : (await admin.fetchTopicOffsets(topic)).map(({ partition, low, high }) => ({ partition, offset: request.to === 'earliest' ? low : high }));
      await admin.setOffsets({ groupId, topic, partitions: offsets.map(({ partition, offset }) => ({ partition, offset: String(offset) })) });
      partitions.push(...offsets.map(({ partition, offset }) => ({ topic, partition, offset: Number(offset) })).sort((a, b) => a.partition - b.partition));
    }
    await db.auditEvent.create({ data: { ...asAuditActor(actor), connectorId: id, action: 'reset-offsets', detail: { to: request.to, timestamp: request.timestamp ?? null, partitions: partitions.map((p) => ({ ...p })) } } });
    return partitions;
  } finally {
    await admin.disconnect();
  }
}
