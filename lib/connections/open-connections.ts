import type { Kafka } from 'kafkajs';
import type { Db } from '../db/prisma';
import { createKafka } from '../kafka/kafka-client';
import { createKustoClients, type KustoClients } from '../kusto/kusto-clients';
import { assertKafkaConnectionAllowed, assertKustoEndpointsAllowed, type OutboundPolicy } from './outbound-policy';
import { SchemaRegistryClient } from '../schema-registry/registry-client';
import { findKafkaConnection, findKustoConnection } from './read-connections';

/**
 * A kafkajs client for a saved Kafka connection; 404 when there is none with this id. The brokers
 * are checked again: the policy may have tightened since the connection was saved.
 */
export async function openKafkaConnection(db: Db, id: string, secretKey: string, outbound?: OutboundPolicy): Promise<Kafka> {
  return (await openKafkaConnectionWithRegistry(db, id, secretKey, outbound)).kafka;
}

/** The kafkajs client and, when the connection names one, a client of its schema registry (both checked against the policy). */
export async function openKafkaConnectionWithRegistry(db: Db, id: string, secretKey: string, outbound?: OutboundPolicy): Promise<{ kafka: Kafka; registry: SchemaRegistryClient | null }> {
  const connection = await findKafkaConnection(db, id);
  if (outbound) assertKafkaConnectionAllowed(connection, outbound);
  return { kafka: createKafka(connection, secretKey, 'kastor-web'), registry: SchemaRegistryClient.fromConnection(connection, secretKey) };
}

/** Kusto clients for a saved Kusto connection; the caller closes them. */
export async function openKustoConnection(db: Db, id: string, secretKey: string, outbound?: OutboundPolicy): Promise<KustoClients> {
  const connection = await findKustoConnection(db, id);
  if (outbound) assertKustoEndpointsAllowed(connection, outbound);
  return createKustoClients(connection, secretKey);
}
