import type { Kafka } from 'kafkajs';
import type { Db } from '../db/prisma';
import { createKafka } from '../kafka/kafka-client';
import { createKustoClients, type KustoClients } from '../kusto/kusto-clients';
import { assertBrokersAllowed, assertKustoEndpointsAllowed, type OutboundPolicy } from './outbound-policy';
import { findKafkaConnection, findKustoConnection } from './read-connections';

/**
 * A kafkajs client for a saved Kafka connection; 404 when there is none with this id. The brokers
 * are checked again: the policy may have tightened since the connection was saved.
 */
export async function openKafkaConnection(db: Db, id: string, secretKey: string, outbound?: OutboundPolicy): Promise<Kafka> {
  const connection = await findKafkaConnection(db, id);
  if (outbound) assertBrokersAllowed(connection.brokers, outbound);
  return createKafka(connection, secretKey, 'kastor-web');
}

/** Kusto clients for a saved Kusto connection; the caller closes them. */
export async function openKustoConnection(db: Db, id: string, secretKey: string, outbound?: OutboundPolicy): Promise<KustoClients> {
  const connection = await findKustoConnection(db, id);
  if (outbound) assertKustoEndpointsAllowed(connection, outbound);
  return createKustoClients(connection, secretKey);
}
