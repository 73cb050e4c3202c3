import { isUniqueViolation, type Db } from '../db/prisma';
import { AppError, ErrorCode, parseOrThrow } from '../errors';
import { encryptSecret } from '../secrets';
import { ZKafkaConnectionInput, ZKustoConnectionInput } from './connection-definitions';

/** Secrets are encrypted before they reach the database and are never returned: only "set". */
export interface KafkaConnectionView {
  id: string;
  name: string;
  brokers: string[];
  securityProtocol: string;
  saslMechanism: string | null;
  saslUsername: string | null;
  saslPasswordSet: boolean;
}

export interface KustoConnectionView {
  id: string;
  name: string;
  clusterUrl: string;
  ingestUrl: string | null;
  authKind: string;
  tenantId: string | null;
  appId: string | null;
  appKeySet: boolean;
}

export async function createKafkaConnection(db: Db, input: unknown, secretKey: string): Promise<KafkaConnectionView> {
  const { saslPassword, ...fields } = parseOrThrow(ZKafkaConnectionInput, input);
  const saved = await db.kafkaConnection
    .create({ data: { ...fields, saslPasswordEnc: saslPassword ? encryptSecret(saslPassword, secretKey) : null } })
    .catch(rethrowNameTaken(fields.name));
  return toKafkaView(saved);
}

export async function createKustoConnection(db: Db, input: unknown, secretKey: string): Promise<KustoConnectionView> {
  const { appKey, ...fields } = parseOrThrow(ZKustoConnectionInput, input);
  const saved = await db.kustoConnection
    .create({ data: { ...fields, appKeyEnc: appKey ? encryptSecret(appKey, secretKey) : null } })
    .catch(rethrowNameTaken(fields.name));
  return toKustoView(saved);
}

function rethrowNameTaken(name: string) {
  return (error: unknown): never => {
    if (isUniqueViolation(error)) {
      throw new AppError(ErrorCode.CONFLICT, `A connection named "${name}" already exists`, [{ field: 'name', message: 'is already taken' }]);
    }
    throw error;
  };
}

export async function listKafkaConnections(db: Db): Promise<KafkaConnectionView[]> {
  return (await db.kafkaConnection.findMany({ orderBy: { name: 'asc' } })).map(toKafkaView);
}

export async function listKustoConnections(db: Db): Promise<KustoConnectionView[]> {
  return (await db.kustoConnection.findMany({ orderBy: { name: 'asc' } })).map(toKustoView);
}

function toKafkaView(row: {
  id: string; name: string; brokers: string[]; securityProtocol: string;
  saslMechanism: string | null; saslUsername: string | null; saslPasswordEnc: string | null;
}): KafkaConnectionView {
  return {
    id: row.id,
    name: row.name,
    brokers: row.brokers,
    securityProtocol: row.securityProtocol,
    saslMechanism: row.saslMechanism,
    saslUsername: row.saslUsername,
    saslPasswordSet: row.saslPasswordEnc !== null,
  };
}

function toKustoView(row: {
  id: string; name: string; clusterUrl: string; ingestUrl: string | null; authKind: string;
  tenantId: string | null; appId: string | null; appKeyEnc: string | null;
}): KustoConnectionView {
  return {
    id: row.id,
    name: row.name,
    clusterUrl: row.clusterUrl,
    ingestUrl: row.ingestUrl,
    authKind: row.authKind,
    tenantId: row.tenantId,
    appId: row.appId,
    appKeySet: row.appKeyEnc !== null,
  };
}
