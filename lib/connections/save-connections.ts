import { asAuditActor, type TActorInput } from '../auth/principal';
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
import { assertKafkaConnectionAllowed, assertKustoEndpointsAllowed, type OutboundPolicy } from './outbound-policy';
import { findKafkaConnection, findKustoConnection, getKafkaConnection, getKustoConnection, toKafkaView, toKustoView } from './read-connections';

/**
 * How the web saves: the addresses checked against its outbound policy, the change audited under
 * the signed-in actor. Kastor's own callers (the demo seed, tests) may leave both out.
 */
export interface SaveConnectionOptions {
  outbound?: OutboundPolicy;
  actor?: TActorInput;
}

export async function createKafkaConnection(db: Db, input: unknown, secretKey: string, options: SaveConnectionOptions = {}): Promise<KafkaConnectionView> {
  const fields = kafkaConnectionFields(parseOrThrow(ZKafkaConnectionInput, input), secretKey);
  if (options.outbound) assertKafkaConnectionAllowed(fields, options.outbound);
  const row = await db
    .$transaction(async (tx) => {
      const created = await tx.kafkaConnection.create({ data: fields });
      await tx.auditEvent.create({ data: { ...asAuditActor(options.actor ?? 'system'), action: 'create-kafka-connection', detail: { connectionId: created.id, after: toKafkaView(created) } as object } });
      return created;
    })
    .catch(rethrowNameTaken(fields.name));
  return toKafkaView(row);
}

export async function createKustoConnection(db: Db, input: unknown, secretKey: string, options: SaveConnectionOptions = {}): Promise<KustoConnectionView> {
  const fields = kustoConnectionFields(parseOrThrow(ZKustoConnectionInput, input), secretKey);
  if (options.outbound) assertKustoEndpointsAllowed(fields, options.outbound);
  const row = await db
    .$transaction(async (tx) => {
      const created = await tx.kustoConnection.create({ data: fields });
      await tx.auditEvent.create({ data: { ...asAuditActor(options.actor ?? 'system'), action: 'create-kusto-connection', detail: { connectionId: created.id, after: toKustoView(created) } as object } });
      return created;
    })
    .catch(rethrowNameTaken(fields.name));
  return toKustoView(row);
}

/**
 * Replaces a connection's settings; a secret left out keeps the stored one. Running pipelines
 * keep the clients they opened and pick the change up when they restart.
 */
export async function updateKafkaConnection(db: Db, id: string, input: unknown, secretKey: string, options: SaveConnectionOptions = {}): Promise<KafkaConnectionView> {
  const parsed = parseOrThrow(ZKafkaConnectionUpdate, input);
  const stored = await findKafkaConnection(db, id);
  const fields = kafkaConnectionFields(parsed, secretKey, stored);
  if (options.outbound) assertKafkaConnectionAllowed(fields, options.outbound);
  await db
    .$transaction(async (tx) => {
      const updated = await tx.kafkaConnection.update({ where: { id }, data: fields });
      const detail = { connectionId: id, before: toKafkaView(stored), after: toKafkaView(updated), secretChanged: parsed.saslPassword !== undefined || parsed.schemaRegistryPassword !== undefined };
      await tx.auditEvent.create({ data: { ...asAuditActor(options.actor ?? 'system'), action: 'update-kafka-connection', detail: detail as object } });
    })
    .catch(rethrowNameTaken(fields.name));
  return getKafkaConnection(db, id);
}

/** The last test described the old settings, so it is cleared with them. */
export async function updateKustoConnection(db: Db, id: string, input: unknown, secretKey: string, options: SaveConnectionOptions = {}): Promise<KustoConnectionView> {
  const parsed = parseOrThrow(ZKustoConnectionUpdate, input);
  const stored = await findKustoConnection(db, id);
  const fields = kustoConnectionFields(parsed, secretKey, stored);
  if (options.outbound) assertKustoEndpointsAllowed(fields, options.outbound);
  await db
    .$transaction(async (tx) => {
      const updated = await tx.kustoConnection.update({ where: { id }, data: { ...fields, lastTest: Prisma.DbNull, lastTestedAt: null } });
      const detail = { connectionId: id, before: toKustoView(stored), after: toKustoView(updated), secretChanged: parsed.appKey !== undefined || parsed.certificatePem !== undefined };
      await tx.auditEvent.create({ data: { ...asAuditActor(options.actor ?? 'system'), action: 'update-kusto-connection', detail: detail as object } });
    })
    .catch(rethrowNameTaken(fields.name));
  return getKustoConnection(db, id);
}

/** What a test found the principal may do, adopted by the user: the last test still holds. */
export async function changePrincipalRole(db: Db, id: string, input: unknown, actor: TActorInput = 'system'): Promise<KustoConnectionView> {
  const { principalRole } = parseOrThrow(ZPrincipalRoleChange, input);
  const stored = await findKustoConnection(db, id);
  await db.$transaction([
    db.kustoConnection.update({ where: { id }, data: { principalRole } }),
    db.auditEvent.create({ data: { ...asAuditActor(actor), action: 'change-principal-role', detail: { connectionId: id, name: stored.name, before: stored.principalRole, after: principalRole } } }),
  ]);
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
