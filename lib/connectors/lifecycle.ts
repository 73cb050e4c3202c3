import 'server-only';
import { asAuditActor, type TActorInput } from '../auth/principal';
import { notifyConnectorChanged, type Db } from '../db/prisma';
import { AppError, ErrorCode } from '../errors';
import type { DesiredState } from '../generated/prisma/enums';
import { ZRecordRef, ZRecordRefs, type TRecordRef } from '../workers/partition-refs';
import { isActionAllowed, LIFECYCLE_TRANSITIONS, type LifecycleAction } from './lifecycle-rules';
import { getConnector } from './read-connectors';

/**
 * Changes the desired state with a compare-and-set on the current one; the workers converge on it
 * and report the actual state. Repeating an action that already took effect is a no-op.
 */
export async function applyLifecycleAction(db: Db, id: string, action: LifecycleAction, actor: TActorInput): Promise<DesiredState> {
  await getConnector(db, id);
  const row = await db.connector.findUnique({ where: { id }, select: { desiredState: true, restartGeneration: true, skipRecords: true, status: { select: { failedRecord: true } } } });
  if (!row || row.desiredState === 'DELETED') throw new AppError(ErrorCode.NOT_FOUND, `Connector ${id} not found`);
  const connector = { ...row, skipRecords: ZRecordRefs.parse(row.skipRecords) };
  if (action === 'restart') return restartConnector(db, id, connector, actor);
  if (action === 'skip-and-restart') {
    // Only the record the connector failed on, as the workers reported it: never an arbitrary offset.
    const failed = row.status?.failedRecord ? ZRecordRef.parse(row.status.failedRecord) : null;
    if (!failed) throw new AppError(ErrorCode.CONFLICT, 'The connector did not fail on a record, so there is none to skip; restart it instead');
    return restartConnector(db, id, connector, actor, failed);
  }
  const { to } = LIFECYCLE_TRANSITIONS[action];
  if (connector.desiredState === to) return to;
  if (!isActionAllowed(action, connector.desiredState)) {
    throw new AppError(ErrorCode.CONFLICT, `Cannot ${action} a connector that is ${connector.desiredState.toLowerCase()}`);
  }
  const updated = await db.$transaction(async (tx) => {
    const result = await tx.connector.updateMany({ where: { id, desiredState: connector.desiredState }, data: { desiredState: to } });
    if (result.count === 1) {
      await tx.auditEvent.create({ data: { ...asAuditActor(actor), connectorId: id, action, detail: { from: connector.desiredState, to } } });
    }
    return result.count;
  });
  if (updated === 0) throw new AppError(ErrorCode.CONFLICT, `Connector ${id} changed state concurrently; try again`);
  await notifyConnectorChanged(db, id);
  return to;
}

/**
 * Asks the workers to restart the pipeline, a failed one included, by bumping the restart
 * generation they compare with the one their pipeline started from.
 */
async function restartConnector(db: Db, id: string, connector: { desiredState: DesiredState; restartGeneration: number; skipRecords: TRecordRef[] }, actor: TActorInput, skip: TRecordRef | null = null): Promise<DesiredState> {
  if (!isActionAllowed('restart', connector.desiredState)) {
    throw new AppError(ErrorCode.CONFLICT, `Cannot restart a connector that is ${connector.desiredState.toLowerCase()}; start or resume it instead`);
  }
  const updated = await db.$transaction(async (tx) => {
    const result = await tx.connector.updateMany({
      where: { id, desiredState: 'RUNNING', restartGeneration: connector.restartGeneration },
      data: { restartGeneration: connector.restartGeneration + 1, ...(skip && { skipRecords: [...connector.skipRecords, skip] }) },
    });
    if (result.count === 1) {
      await tx.auditEvent.create({ data: { ...asAuditActor(actor), connectorId: id, action: skip ? 'skip-and-restart' : 'restart', detail: { generation: connector.restartGeneration + 1, ...(skip && { skipped: skip }) } } });
    }
    return result.count;
  });
  if (updated === 0) throw new AppError(ErrorCode.CONFLICT, `Connector ${id} changed state concurrently; try again`);
  await notifyConnectorChanged(db, id);
  return 'RUNNING';
}
