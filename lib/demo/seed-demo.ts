import 'server-only';
import type { Admin } from 'kafkajs';
import type { Db } from '../db/prisma';
import { createConnector } from '../connectors/save-connector';
import { GAMEPLAY_PARTITIONS, GAMEPLAY_TOPIC, gameplayConnectorDefinition } from './gameplay';

export const DEMO_KAFKA_CONNECTION = 'local-kafka';
export const DEMO_KUSTO_CONNECTION = 'local-kusto';

/**
 * Idempotent: the local connections point at this run's services (their addresses can change
 * between runs), the topic and the connector are created once and then left as the user left them.
 */
export async function seedGameplayDemo(db: Db, admin: Admin, services: LocalServices) {
  const { kafka, kusto } = await seedLocalConnections(db, services);
  const topics = await admin.listTopics();
  if (!topics.includes(GAMEPLAY_TOPIC)) {
    await admin.createTopics({ topics: [{ topic: GAMEPLAY_TOPIC, numPartitions: GAMEPLAY_PARTITIONS }], waitForLeaders: true });
  }
  const existing = await db.connector.findUnique({ where: { name: 'gameplay' }, select: { id: true } });
  const connectorId = existing?.id ?? (await createConnector(db, gameplayConnectorDefinition({ kafkaConnectionId: kafka.id, kustoConnectionId: kusto.id }), 'demo')).id;
  return { connectorId, kafkaConnectionId: kafka.id, kustoConnectionId: kusto.id };
}

/** Where this run's local services listen; the schema registry's Confluent API when one runs. */
export interface LocalServices {
  brokers: string[];
  kustoUrl: string;
  schemaRegistryUrl?: string | null;
}

/** The Kafka and Kusto connections of this run's local services, with or without the demo. */
export async function seedLocalConnections(db: Db, services: LocalServices) {
  const schemaRegistryUrl = services.schemaRegistryUrl ?? null;
  const kafka = await db.kafkaConnection.upsert({
    where: { name: DEMO_KAFKA_CONNECTION },
    create: { name: DEMO_KAFKA_CONNECTION, brokers: services.brokers, schemaRegistryUrl },
    update: { brokers: services.brokers, schemaRegistryUrl },
  });
  const kusto = await db.kustoConnection.upsert({
    where: { name: DEMO_KUSTO_CONNECTION },
    create: { name: DEMO_KUSTO_CONNECTION, clusterUrl: services.kustoUrl },
    update: { clusterUrl: services.kustoUrl },
  });
  return { kafka, kusto };
}
