import type { Db } from '../db/prisma';
import { AppError, ErrorCode } from '../errors';
import type { KafkaConnection, KustoConnection } from '../generated/prisma/client';
import {
  KAFKA_SASL_MECHANISMS,
  ZKustoConnectionTest,
  type ConnectorReference,
  type KafkaConnectionView,
  type KustoConnectionView,
} from './connection-definitions';

// Ids are uuids in the database; anything else cannot name a connection.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const USED_BY = { connectors: { select: { id: true, name: true }, orderBy: { name: 'asc' } } } as const;

export async function listKafkaConnections(db: Db): Promise<KafkaConnectionView[]> {
  return (await db.kafkaConnection.findMany({ orderBy: { name: 'asc' }, include: USED_BY })).map(toKafkaView);
}

export async function listKustoConnections(db: Db): Promise<KustoConnectionView[]> {
  return (await db.kustoConnection.findMany({ orderBy: { name: 'asc' }, include: USED_BY })).map(toKustoView);
}

export async function getKafkaConnection(db: Db, id: string): Promise<KafkaConnectionView> {
  const row = UUID.test(id) ? await db.kafkaConnection.findUnique({ where: { id }, include: USED_BY }) : null;
  return toKafkaView(row ?? kafkaNotFound(id));
}

export async function getKustoConnection(db: Db, id: string): Promise<KustoConnectionView> {
  const row = UUID.test(id) ? await db.kustoConnection.findUnique({ where: { id }, include: USED_BY }) : null;
  return toKustoView(row ?? kustoNotFound(id));
}

/** The stored row, ciphertexts included (server side only); 404 when there is none with this id. */
export async function findKafkaConnection(db: Db, id: string): Promise<KafkaConnection> {
  return (UUID.test(id) ? await db.kafkaConnection.findUnique({ where: { id } }) : null) ?? kafkaNotFound(id);
}

export async function findKustoConnection(db: Db, id: string): Promise<KustoConnection> {
  return (UUID.test(id) ? await db.kustoConnection.findUnique({ where: { id } }) : null) ?? kustoNotFound(id);
}

function kafkaNotFound(id: string): never {
  throw new AppError(ErrorCode.NOT_FOUND, `No Kafka connection has the id "${id}"`);
}

function kustoNotFound(id: string): never {
  throw new AppError(ErrorCode.NOT_FOUND, `No Kusto connection has the id "${id}"`);
}

export function toKafkaView(row: KafkaConnection & { connectors?: ConnectorReference[] }): KafkaConnectionView {
  const mechanism = KAFKA_SASL_MECHANISMS.find((candidate) => candidate === row.saslMechanism) ?? null;
  return {
    id: row.id,
    name: row.name,
    brokers: row.brokers,
    securityProtocol: row.securityProtocol,
    saslMechanism: mechanism,
    saslUsername: row.saslUsername,
    saslPasswordSet: row.saslPasswordEnc !== null,
    tlsCaPem: row.tlsCaPem,
    tlsClientCertPem: row.tlsClientCertPem,
    tlsClientKeySet: row.tlsClientKeyPemEnc !== null,
    schemaRegistryUrl: row.schemaRegistryUrl,
    schemaRegistryUsername: row.schemaRegistryUsername,
    schemaRegistryPasswordSet: row.schemaRegistryPasswordEnc !== null,
    usedBy: row.connectors ?? [],
  };
}

export function toKustoView(row: KustoConnection & { connectors?: ConnectorReference[] }): KustoConnectionView {
  // A test stored by an older release may not match today's shape; it is then simply not shown.
  const lastTest = ZKustoConnectionTest.safeParse(row.lastTest);
  return {
    id: row.id,
    name: row.name,
    clusterUrl: row.clusterUrl,
    ingestUrl: row.ingestUrl,
    authKind: row.authKind,
    tenantId: row.tenantId,
    appId: row.appId,
    appKeySet: row.appKeyEnc !== null,
    certificateSet: row.certificatePemEnc !== null,
    sendX5c: row.sendX5c,
    managedIdentityClientId: row.managedIdentityClientId,
    tokenFilePath: row.tokenFilePath,
    principalRole: row.principalRole,
    lastTest: lastTest.success ? lastTest.data : null,
    usedBy: row.connectors ?? [],
  };
}
