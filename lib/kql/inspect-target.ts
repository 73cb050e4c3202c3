import 'server-only';
import { targetsOf } from '../connectors/connector-definition';
import type { Db } from '../db/prisma';
import { kustoErrorMessage } from '../kusto/kusto-clients';
import { withConnectorTarget } from '../kusto/open-connector-target';
import { detectTargetDrift } from './detect-target-drift';
import { quoteIdentifier } from './identifiers';
import { readTargetState } from './read-target-state';
import { targetCommandsFor } from './target-commands';
import { compareRowCounts, type RowComparison, type TargetView } from './target-view';
import { PURPOSE_OF_DRIFT } from './verify-target';

/** Time for two metrics cycles (at most 2 s each, lib/env.ts) and the database round trips. */
const REPORT_WAIT_MS = 5_000;
const REPORT_POLL_MS = 200;

/** The rows-written counter, whether it moved in the last metrics cycle, and blobs queued but not landed. */
async function readWrittenCounter(db: Db, id: string) {
  const [status, samples, pendingBlobs] = await Promise.all([
    db.connectorStatus.findUnique({ where: { connectorId: id }, select: { rowsWritten: true } }),
    db.metricSample.findMany({ where: { connectorId: id }, orderBy: { id: 'desc' }, take: 2, select: { id: true, rowsWritten: true } }),
    db.ingestionBatch.count({ where: { connectorId: id, status: 'PENDING' } }),
  ]);
  const rows = Number(status?.rowsWritten ?? 0);
  const writtenRecently = samples.length === 2 && samples[0].rowsWritten !== samples[1].rowsWritten;
  return { rows, writtenRecently, pendingBlobs, newestSampleId: samples[0]?.id ?? BigInt(0) };
}

/**
 * Waits until the lease holder has written two samples after `afterSampleId`: the second one's
 * cycle started after the count, so every worker has reported the rows that landed before it.
 * Without a worker reporting, the wait ends at its deadline: nothing is adding to the counter.
 */
async function waitForReportsAfter(db: Db, id: string, afterSampleId: bigint): Promise<void> {
  const deadline = Date.now() + REPORT_WAIT_MS;
  while (Date.now() < deadline) {
    if ((await db.metricSample.count({ where: { connectorId: id, id: { gt: afterSampleId } } })) >= 2) return;
    await new Promise((resolve) => setTimeout(resolve, REPORT_POLL_MS));
  }
}

/**
 * Counts the connector's tables and reads the counter around the count. A difference is only
 * confirmed (one wait for the workers' next reports) when the connector looked idle: a live one
 * reads as moving straight away.
 */
async function countRows(db: Db, id: string, count: () => Promise<number | null>): Promise<{ rowsWritten: number; targetRowCount: number | null; rowComparison: RowComparison }> {
  const before = await readWrittenCounter(db, id);
  const targetRowCount = await count();
  let after = await readWrittenCounter(db, id);
  const idle = !before.writtenRecently && before.pendingBlobs === 0 && after.rows === before.rows;
  if (idle && targetRowCount !== null && targetRowCount !== after.rows) {
    await waitForReportsAfter(db, id, after.newestSampleId);
    after = await readWrittenCounter(db, id);
  }
  const rowComparison = compareRowCounts({
    targetRowCount,
    writtenBefore: before.rows,
    writtenAfter: after.rows,
    writtenRecently: before.writtenRecently,
    pendingBlobs: Math.max(before.pendingBlobs, after.pendingBlobs),
  });
  return { rowsWritten: after.rows, targetRowCount, rowComparison };
}

/** The connector's table as the target sees it, and where it drifted from the connector. */
export async function inspectTarget(db: Db, id: string, secretKey: string): Promise<TargetView> {
  const connection = await db.connector.findUnique({ where: { id }, select: { kustoConnection: { select: { principalRole: true } } } });
  const ingestorOnly = connection?.kustoConnection.principalRole === 'INGESTOR';
  return withConnectorTarget(db, id, secretKey, async ({ definition, revision, appliedRevision, rowsWritten }, kusto) => {
    const { database, table } = definition.target;
    const base = { database, table, revision, appliedRevision, ingestorOnly };
    try {
      const state = await readTargetState(kusto.query, definition.target);
      // The workers' rows went to every table of the connector, so every table is counted.
      const countTables = async () => {
        if (!state.columns) return null;
        const counts = await Promise.all(
          targetsOf(definition).map(async (target) => {
            const counted = await kusto.query.executeQuery(target.database, `${quoteIdentifier(target.table)} | count`).catch(() => null);
            return counted ? Number(counted.primaryResults[0].toJSON<{ Count: number }>().data[0].Count) : 0;
          }),
        );
        return counts.reduce((sum, count) => sum + count, 0);
      };
      const rows = await countRows(db, id, countTables);
      const drift = detectTargetDrift(definition, state);
      // Drift is read for the default target's table, so only its commands apply.
      const adminCommands = targetCommandsFor({ ...definition, routes: [] }).filter((command) => drift.some((item) => PURPOSE_OF_DRIFT[item.what] === command.purpose));
      return { ...base, ...rows, columns: state.columns ?? [], drift, adminCommands, error: null };
    } catch (error) {
      return { ...base, rowsWritten, rowComparison: { state: 'unavailable' }, columns: [], targetRowCount: null, drift: [], adminCommands: [], error: kustoErrorMessage(error) };
    }
  });
}
