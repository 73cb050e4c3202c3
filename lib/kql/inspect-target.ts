import 'server-only';
import { targetsOf } from '../connectors/connector-definition';
import type { Db } from '../db/prisma';
import { kustoErrorMessage } from '../kusto/kusto-clients';
import { withConnectorTarget } from '../kusto/open-connector-target';
import { detectTargetDrift, type TargetDrift } from './detect-target-drift';
import { quoteIdentifier } from './identifiers';
import { readTargetState } from './read-target-state';
import { targetCommandsFor, type TargetCommand } from './target-commands';
import { PURPOSE_OF_DRIFT } from './verify-target';

export interface TargetView {
  database: string;
  table: string;
  columns: { name: string; type: string }[];
  /** `T | count` on the target (summed over a connector's routed tables); null when the target could not answer. */
  targetRowCount: number | null;
  /** What the workers report as written, to compare with the target's count. */
  rowsWritten: number;
  revision: number;
  appliedRevision: number | null;
  drift: TargetDrift[];
  /** The connection's principal may only ingest: drift is fixed by an admin running `adminCommands`, not by a re-apply. */
  ingestorOnly: boolean;
  /** The connector's commands for what drifted, to hand to an admin. */
  adminCommands: TargetCommand[];
  /** What the target said when it could not be inspected. */
  error: string | null;
}

/** The connector's table as the target sees it, and where it drifted from the connector. */
export async function inspectTarget(db: Db, id: string, secretKey: string): Promise<TargetView> {
  const connection = await db.connector.findUnique({ where: { id }, select: { kustoConnection: { select: { principalRole: true } } } });
  const ingestorOnly = connection?.kustoConnection.principalRole === 'INGESTOR';
  return withConnectorTarget(db, id, secretKey, async ({ definition, revision, appliedRevision, rowsWritten }, kusto) => {
    const { database, table } = definition.target;
    const base = { database, table, rowsWritten, revision, appliedRevision, ingestorOnly };
    try {
      const state = await readTargetState(kusto.query, definition.target);
      let targetRowCount: number | null = null;
      if (state.columns) {
        // The workers' rows went to every table of the connector, so every table is counted.
        const counts = await Promise.all(
          targetsOf(definition).map(async (target) => {
            const counted = await kusto.query.executeQuery(target.database, `${quoteIdentifier(target.table)} | count`).catch(() => null);
            return counted ? Number(counted.primaryResults[0].toJSON<{ Count: number }>().data[0].Count) : 0;
          }),
        );
        targetRowCount = counts.reduce((sum, count) => sum + count, 0);
      }
      const drift = detectTargetDrift(definition, state);
      // Drift is read for the default target's table, so only its commands apply.
      const adminCommands = targetCommandsFor({ ...definition, routes: [] }).filter((command) => drift.some((item) => PURPOSE_OF_DRIFT[item.what] === command.purpose));
      return { ...base, columns: state.columns ?? [], targetRowCount, drift, adminCommands, error: null };
    } catch (error) {
      return { ...base, columns: [], targetRowCount: null, drift: [], adminCommands: [], error: kustoErrorMessage(error) };
    }
  });
}
