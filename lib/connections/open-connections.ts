import type { Kafka } from 'kafkajs';
import type { Db } from '../db/prisma';
import { createKafka } from '../kafka/kafka-client';
import { createKustoClients, type KustoClients } from '../kusto/kusto-clients';
import { findKafkaConnection, findKustoConnection } from './read-connections';

/** A kafkajs client for a saved Kafka connection; 404 when there is none with this id. */
export async function openKafkaConnection(db: Db, id: string, secretKey: string): Promise<Kafka> {
  return createKafka(await findKafkaConnection(db, id), secretKey, 'kastor-web');
}

/** Kusto clients for a saved Kusto connection; the caller closes them. */
export async function openKustoConnection(db: Db, id: string, secretKey: string): Promise<KustoClients> {
  return createKustoClients(await findKustoConnection(db, id), secretKey);
}
