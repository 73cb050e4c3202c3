import 'server-only';
import { z } from 'zod';
import { asAuditActor, type TActorInput } from '../auth/principal';
import type { Prisma } from '../generated/prisma/client';
import { isUniqueViolation, notifyConnectorChanged, type Db } from '../db/prisma';
import { AppError, ErrorCode, parseOrThrow } from '../errors';
import { ZConnectorDefinition, type TConnectorDefinition } from './connector-definition';
import type { ConnectorDetailView } from './connector-views';
import { getConnector } from './read-connectors';

/** A revision is a Postgres integer and the next one is this plus one. */
export const ZRevision = z.number().int().positive().max(2_147_483_646, 'must be at most 2147483646');

async function assertConnectionsExist(db: Db, definition: TConnectorDefinition): Promise<void> {
  const [kafka, kusto] = await Promise.all([
    db.kafkaConnection.findUnique({ where: { id: definition.kafkaConnectionId }, select: { id: true } }),
    db.kustoConnection.findUnique({ where: { id: definition.kustoConnectionId }, select: { id: true } }),
  ]);
  const issues = [
    ...(kafka ? [] : [{ field: 'kafkaConnectionId', message: 'no Kafka connection has this id' }]),
    ...(kusto ? [] : [{ field: 'kustoConnectionId', message: 'no Kusto connection has this id' }]),
  ];
  if (issues.length > 0) {
    throw new AppError(ErrorCode.UNPROCESSABLE, `Invalid input — ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);
  }
}

function nameTaken(name: string): AppError {
  return new AppError(ErrorCode.CONFLICT, `A connector named "${name}" already exists`, [{ field: 'name', message: 'is already taken' }]);
}

/**
 * How the target was made ready before the save, when it was: the revision is then recorded as
 * applied (or verified) and the worker does not run its KQL again.
 */
export interface SaveOptions {
  target?: 'applied' | 'verified';
}

/**
 * The checks a save makes before it writes, on their own so the create can run them before it
 * touches the target: the definition parses, its connections exist, the name is free and, for an
 * edit, the connector is still at `expectedRevision`.
 */
export async function checkConnectorSave(db: Db, input: unknown, edit?: { id: string; expectedRevision?: number }): Promise<TConnectorDefinition> {
  const current = edit ? await getConnector(db, edit.id) : null;
  const definition = parseOrThrow(ZConnectorDefinition, input);
  await assertConnectionsExist(db, definition);
  const holder = await db.connector.findFirst({ where: { name: definition.name }, select: { id: true } });
  if (holder && holder.id !== edit?.id) throw nameTaken(definition.name);
  if (current && edit && (current.desiredState === 'DELETED' || (edit.expectedRevision !== undefined && edit.expectedRevision !== current.revision))) {
    throw changedSince(edit.id, edit.expectedRevision ?? current.revision);
  }
  return definition;
}

function changedSince(id: string, revision: number): AppError {
  return new AppError(ErrorCode.CONFLICT, `Connector ${id} changed since revision ${revision}; reload and try again`);
}

export async function createConnector(db: Db, input: unknown, actor: TActorInput, options: SaveOptions = {}): Promise<ConnectorDetailView> {
  const definition = parseOrThrow(ZConnectorDefinition, input);
  await assertConnectionsExist(db, definition);
  const json = definition as unknown as Prisma.InputJsonValue;
  let id: string;
  try {
    id = await db.$transaction(async (tx) => {
      const connector = await tx.connector.create({
        data: {
          name: definition.name,
          kafkaConnectionId: definition.kafkaConnectionId,
          kustoConnectionId: definition.kustoConnectionId,
          definition: json,
          revisions: { create: { revision: 1, definition: json } },
          status: { create: options.target ? { appliedRevision: 1 } : {} },
          audit: { create: { ...asAuditActor(actor), action: 'create', detail: { revision: 1, after: json, ...(options.target ? { target: options.target } : {}) } } },
        },
      });
      return connector.id;
    });
  } catch (error) {
    throw isUniqueViolation(error) ? nameTaken(definition.name) : error;
  }
  await notifyConnectorChanged(db, id);
  return getConnector(db, id);
}

/**
 * Saves a new revision. `expectedRevision` makes it a compare-and-set, so two editors cannot
 * silently overwrite each other.
 */
export async function updateConnector(
  db: Db,
  id: string,
  input: unknown,
  actor: TActorInput,
  expectedRevision?: number,
  options: SaveOptions = {},
): Promise<ConnectorDetailView> {
  const current = await getConnector(db, id);
  const definition = parseOrThrow(ZConnectorDefinition, input);
  await assertConnectionsExist(db, definition);
  const fromRevision = ZRevision.parse(expectedRevision ?? current.revision);
  const revision = fromRevision + 1;
  const json = definition as unknown as Prisma.InputJsonValue;
  try {
    await db.$transaction(async (tx) => {
      const updated = await tx.connector.updateMany({
        where: { id, revision: fromRevision, desiredState: { not: 'DELETED' } },
        data: {
          name: definition.name,
          kafkaConnectionId: definition.kafkaConnectionId,
          kustoConnectionId: definition.kustoConnectionId,
          definition: json,
          revision,
        },
      });
      if (updated.count === 0) throw changedSince(id, fromRevision);
      await tx.connectorRevision.create({ data: { connectorId: id, revision, definition: json } });
      if (options.target) {
        await tx.connectorStatus.upsert({ where: { connectorId: id }, create: { connectorId: id, appliedRevision: revision }, update: { appliedRevision: revision } });
      }
      // The definition before and after, so the audit log shows what changed.
      const before = await tx.connectorRevision.findUnique({ where: { connectorId_revision: { connectorId: id, revision: fromRevision } }, select: { definition: true } });
      await tx.auditEvent.create({ data: { ...asAuditActor(actor), connectorId: id, action: 'update', detail: { revision, before: before?.definition ?? null, after: json, ...(options.target ? { target: options.target } : {}) } } });
    });
  } catch (error) {
    throw isUniqueViolation(error) ? nameTaken(definition.name) : error;
  }
  await notifyConnectorChanged(db, id);
  return getConnector(db, id);
}
