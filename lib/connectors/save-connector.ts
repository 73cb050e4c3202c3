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

export async function createConnector(db: Db, input: unknown, actor: TActorInput): Promise<ConnectorDetailView> {
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
          status: { create: {} },
          audit: { create: { ...asAuditActor(actor), action: 'create', detail: { revision: 1, after: json } } },
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
      if (updated.count === 0) {
        throw new AppError(ErrorCode.CONFLICT, `Connector ${id} changed since revision ${fromRevision}; reload and try again`);
      }
      await tx.connectorRevision.create({ data: { connectorId: id, revision, definition: json } });
      // The definition before and after, so the audit log shows what changed.
      const before = await tx.connectorRevision.findUnique({ where: { connectorId_revision: { connectorId: id, revision: fromRevision } }, select: { definition: true } });
      await tx.auditEvent.create({ data: { ...asAuditActor(actor), connectorId: id, action: 'update', detail: { revision, before: before?.definition ?? null, after: json } } });
    });
  } catch (error) {
    throw isUniqueViolation(error) ? nameTaken(definition.name) : error;
  }
  await notifyConnectorChanged(db, id);
  return getConnector(db, id);
}
