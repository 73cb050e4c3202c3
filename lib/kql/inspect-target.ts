import 'server-only';
import type { Db } from '../db/prisma';
import { kustoErrorMessage } from '../kusto/kusto-clients';
import { withConnectorTarget } from '../kusto/open-connector-target';
import { detectTargetDrift, type TargetDrift } from './detect-target-drift';
import { quoteIdentifier } from './identifiers';
import { readTargetState } from './read-target-state';

export interface TargetView {
  database: string;
  table: string;
  columns: { name: string; type: string }[];
  /** `T | count` on the target; null when the target could not answer. */
  targetRowCount: number | null;
  /** What the workers report as written, to compare with the target's count. */
  rowsWritten: number;
  revision: number;
  appliedRevision: number | null;
  drift: TargetDrift[];
  /** What the target said when it could not be inspected. */
  error: string | null;
}

/** The connector's table as the target sees it, and where it drifted from the connector. */
export async function inspectTarget(db: Db, id: string, secretKey: string): Promise<TargetView> {
  return withConnectorTarget(db, id, secretKey, async ({ definition, revision, appliedRevision, rowsWritten }, kusto) => {
    const { database, table } = definition.target;
    const base = { database, table, rowsWritten, revision, appliedRevision };
    try {
      const state = await readTargetState(kusto.query, definition.target);
      let targetRowCount: number | null = null;
      if (state.columns) {
        const counted = await kusto.query.executeQuery(database, `${quoteIdentifier(table)} | count`);
        targetRowCount = Number(counted.primaryResults[0].toJSON<{ Count: number }>().data[0].Count);
      }
      return { ...base, columns: state.columns ?? [], targetRowCount, drift: detectTargetDrift(definition, state), error: null };
    } catch (error) {
      return { ...base, columns: [], targetRowCount: null, drift: [], error: kustoErrorMessage(error) };
    }
  });
}
