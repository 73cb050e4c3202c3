import { isUniqueViolation, type Db } from '../db/prisma';
import { Prisma } from '../generated/prisma/client';
import { AppError, ErrorCode, parseOrThrow } from '../errors';
import {
  ZKafkaConnectionInput,
  ZKafkaConnectionUpdate,
  ZKustoConnectionInput,
  ZKustoConnectionUpdate,
  ZPrincipalRoleChange,
  type KafkaConnectionView,
  type KustoConnectionView,
} from './connection-definitions';
import { kafkaConnectionFields, kustoConnectionFields } from './connection-records';
import { findKafkaConnection, findKustoConnection, getKafkaConnection, getKustoConnection, toKafkaView, toKustoView } from './read-connections';

export async function createKafkaConnection(db: Db, input: unknown, secretKey: string): Promise<KafkaConnectionView> {
  const fields = kafkaConnectionFields(parseOrThrow(ZKafkaConnectionInput, input), secretKey);
  return toKafkaView(await db.kafkaConnection.create({ data: fields }).catch(rethrowNameTaken(fields.name)));
}

export async function createKustoConnection(db: Db, input: unknown, secretKey: string): Promise<KustoConnectionView> {
  const fields = kustoConnectionFields(parseOrThrow(ZKustoConnectionInput, input), secretKey);
  return toKustoView(await db.kustoConnection.create({ data: fields }).catch(rethrowNameTaken(fields.name)));
}

/**
 * Replaces a connection's settings; a secret left out keeps the stored one. Running pipelines
 * keep the clients they opened and pick the change up when they restart.
 */
export async function updateKafkaConnection(db: Db, id: string, input: unknown, secretKey: string): Promise<KafkaConnectionView> {
  const parsed = parseOrThrow(ZKafkaConnectionUpdate, input);
  const fields = kafkaConnectionFields(parsed, secretKey, await findKafkaConnection(db, id));
  await db.kafkaConnection.update({ where: { id }, data: fields }).catch(rethrowNameTaken(fields.name));
  return getKafkaConnection(db, id);
}

/** The last test described the old settings, so it is cleared with them. */
export async function updateKustoConnection(db: Db, id: string, input: unknown, secretKey: string): Promise<KustoConnectionView> {
  const parsed = parseOrThrow(ZKustoConnectionUpdate, input);
  const fields = kustoConnectionFields(parsed, secretKey, await findKustoConnection(db, id));
  await db.kustoConnection
    .update({ where: { id }, data: { ...fields, lastTest: Prisma.DbNull, lastTestedAt: null } })
    .catch(rethrowNameTaken(fields.name));
  return getKustoConnection(db, id);
}

/** What a test found the principal may do, adopted by the user: the last test still holds. */
export async function changePrincipalRole(db: Db, id: string, input: unknown): Promise<KustoConnectionView> {
  const { principalRole } = parseOrThrow(ZPrincipalRoleChange, input);
  await findKustoConnection(db, id);
  await db.kustoConnection.update({ where: { id }, data: { principalRole } });
  return getKustoConnection(db, id);
}

function rethrowNameTaken(name: string) {
  return (error: unknown): never => {
    if (isUniqueViolation(error)) {
      throw new AppError(ErrorCode.CONFLICT, `A connection named "${name}" already exists`, [{ field: 'name', message: 'is already taken' }]);
    }
    throw error;
  };
}
