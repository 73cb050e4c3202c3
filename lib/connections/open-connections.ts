import type { Kafka } from 'kafkajs';
import type { Db } from '../db/prisma';
import { AppError, ErrorCode } from '../errors';
import { createKafka } from '../kafka/kafka-client';
import { createKustoClients, type KustoClients } from '../kusto/kusto-clients';

// Ids are uuids in the database; anything else cannot name a connection.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A kafkajs client for a saved Kafka connection; 404 when there is none with this id. */
export async function openKafkaConnection(db: Db, id: string, secretKey: string): Promise<Kafka> {
  const connection = UUID.test(id) ? await db.kafkaConnection.findUnique({ where: { id } }) : null;
  if (!connection) throw new AppError(ErrorCode.NOT_FOUND, `No Kafka connection has the id "${id}"`);
  return createKafka(connection, secretKey, 'kastor-web');
}

/** Kusto clients for a saved Kusto connection; the caller closes them. */
export async function openKustoConnection(db: Db, id: string, secretKey: string): Promise<KustoClients> {
  const connection = UUID.test(id) ? await db.kustoConnection.findUnique({ where: { id } }) : null;
  if (!connection) throw new AppError(ErrorCode.NOT_FOUND, `No Kusto connection has the id "${id}"`);
  return createKustoClients(connection, secretKey);
}
