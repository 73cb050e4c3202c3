import 'server-only';
import { asAuditActor, type TActorInput } from '../auth/principal';
import type { Db } from '../db/prisma';
import { AppError, ErrorCode } from '../errors';
import type { ConnectorReference } from './connection-definitions';
import { findKafkaConnection, findKustoConnection } from './read-connections';

/** Refused (409, naming them) while connectors use the connection; the foreign key holds the line in a race. */
export async function deleteKafkaConnection(db: Db, id: string, actor: TActorInput = 'system'): Promise<void> {
  const { name } = await findKafkaConnection(db, id);
  const usedBy = () => db.connector.findMany({ where: { kafkaConnectionId: id }, select: { id: true, name: true }, orderBy: { name: 'asc' } });
  // The row goes with its encrypted secrets; the audit keeps who removed it.
  const audit = db.auditEvent.create({ data: { ...asAuditActor(actor), action: 'delete-kafka-connection', detail: { connectionId: id, name } } });
  await deleteUnlessUsed('Kafka', name, usedBy, () => db.$transaction([db.kafkaConnection.delete({ where: { id } }), audit]));
}

export async function deleteKustoConnection(db: Db, id: string, actor: TActorInput = 'system'): Promise<void> {
  const { name } = await findKustoConnection(db, id);
  const usedBy = () => db.connector.findMany({ where: { kustoConnectionId: id }, select: { id: true, name: true }, orderBy: { name: 'asc' } });
  const audit = db.auditEvent.create({ data: { ...asAuditActor(actor), action: 'delete-kusto-connection', detail: { connectionId: id, name } } });
  await deleteUnlessUsed('Kusto', name, usedBy, () => db.$transaction([db.kustoConnection.delete({ where: { id } }), audit]));
}

async function deleteUnlessUsed(kind: string, name: string, usedBy: () => Promise<ConnectorReference[]>, remove: () => Promise<unknown>): Promise<void> {
  const refuse = (connectors: ConnectorReference[]) => {
    const names = connectors.map((connector) => `"${connector.name}"`).join(', ');
    const subject = connectors.length === 1 ? `connector ${names} uses` : `connectors ${names} use`;
    return new AppError(ErrorCode.CONFLICT, `The ${kind} connection "${name}" cannot be deleted: ${subject} it. Delete or re-point them first.`);
  };
  const before = await usedBy();
  if (before.length > 0) throw refuse(before);
  try {
    await remove();
  } catch (error) {
    // P2003: a connector was created on this connection between the check and the delete.
    if ((error as { code?: unknown } | null)?.code === 'P2003') throw refuse(await usedBy());
    throw error;
  }
}
