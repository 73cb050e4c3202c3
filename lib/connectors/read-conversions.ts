import 'server-only';
import type { Db } from '../db/prisma';
import { assertConnectorId } from './read-connectors';

import type { ConversionIssueView } from './conversion-views';

export type { ConversionIssueView } from './conversion-views';

export const CONVERSION_WINDOW_MS = 3_600_000;

/** The last hour's findings per table and column, the most frequent first; the example is the newest minute's. */
export async function listConversionIssues(db: Db, id: string, sinceMs = CONVERSION_WINDOW_MS): Promise<ConversionIssueView[]> {
  assertConnectorId(id);
  const rows = await db.conversionIssue.findMany({ where: { connectorId: id, minute: { gte: new Date(Date.now() - sinceMs) } }, orderBy: { minute: 'desc' } });
  const byColumn = new Map<string, ConversionIssueView>();
  for (const row of rows) {
    const key = `${row.table}\u0000${row.column}\u0000${row.kind}`;
    const view = byColumn.get(key);
    if (view) {
      view.count += row.count;
      view.checked += row.checked;
      continue;
    }
    byColumn.set(key, {
      table: row.table,
      column: row.column,
      kind: row.kind === 'invalid-utf8' ? 'invalid-utf8' : 'did-not-fit',
      columnType: row.columnType,
      count: row.count,
      checked: row.checked,
      example: { topic: row.exampleTopic, partition: row.examplePartition, offset: Number(row.exampleOffset), value: row.exampleValue },
      lastSeenAt: row.minute.toISOString(),
    });
  }
  return [...byColumn.values()].sort((a, b) => b.count - a.count);
}
