import 'server-only';
import type { Db } from '../db/prisma';
import { AppError, ErrorCode } from '../errors';
import type { ConnectorIngestionView, IngestionBatchView, IngestionTally } from './ingestion-view';
import { assertConnectorId } from './read-connectors';
import { parseStoredDefinition } from './stored-definition';

const RECENT_BATCHES = 20;

export async function getConnectorIngestion(db: Db, id: string): Promise<ConnectorIngestionView> {
  assertConnectorId(id);
  const connector = await db.connector.findUnique({ where: { id }, select: { desiredState: true, definition: true, status: { select: { lastIngestionPath: true } } } });
  if (!connector || connector.desiredState === 'DELETED') throw new AppError(ErrorCode.NOT_FOUND, `Connector ${id} not found`);
  const [groups, recent] = await Promise.all([
    db.ingestionBatch.groupBy({ by: ['status'], where: { connectorId: id }, _count: { _all: true }, _sum: { rows: true } }),
    db.ingestionBatch.findMany({ where: { connectorId: id }, orderBy: { queuedAt: 'desc' }, take: RECENT_BATCHES }),
  ]);
  const tally = (status: string): IngestionTally => {
    const group = groups.find((candidate) => candidate.status === status);
    return { blobs: group?._count._all ?? 0, rows: group?._sum.rows ?? 0 };
  };
  return {
    mode: parseStoredDefinition(connector.definition, { id }).ingestion.mode,
    // The worker reports its path with its next metrics flush; a blob it has already queued says so sooner.
    lastPath: connector.status?.lastIngestionPath ?? recent[0]?.path ?? null,
    pending: tally('PENDING'),
    landed: tally('SUCCEEDED'),
    failed: tally('FAILED'),
    recent: recent.map(
      (batch): IngestionBatchView => ({
        id: batch.id,
        topic: batch.topic,
        partition: batch.partition,
        firstOffset: Number(batch.firstOffset),
        lastOffset: Number(batch.lastOffset),
        rows: batch.rows,
        rawBytes: Number(batch.rawBytes),
        blobName: batch.blobName,
        status: batch.status,
        path: batch.path === 'managed-fallback' ? 'managed-fallback' : 'queued',
        fallbackReason: batch.fallbackReason,
        failure: batch.failure,
        queuedAt: batch.queuedAt.toISOString(),
        completedAt: batch.completedAt?.toISOString() ?? null,
      }),
    ),
  };
}
