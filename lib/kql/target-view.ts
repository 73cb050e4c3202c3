import type { TargetCommand } from './target-commands';

/**
 * What the connector page shows of its target, as `GET /api/connectors/:id/target` answers it.
 * Client-safe: the route handler, the server code that builds it and the browser share it.
 */
export interface TargetDrift {
  what: 'table schema' | 'mapping' | 'batching policy' | 'streaming policy';
  expected: string;
  actual: string;
}

/** One command of a re-apply, with how the target answered it. */
export interface AppliedCommand extends TargetCommand {
  ok: boolean;
  error?: string;
}

/**
 * The table's count against the rows the workers reported written. The workers report their
 * counts once per metrics cycle, after the rows landed, so while rows flow the table runs ahead of
 * the counter (and a queued blob not yet ingested behind it): the two are only compared when they
 * describe the same moment.
 * - `unavailable`: the target could not be counted;
 * - `moving`: rows were written around the count, or queued blobs have not landed yet;
 * - `settled`: nothing was written from before the count until every worker reported again, so
 *   `difference` (table − written) is real: rows ingested by others, replayed, or lost.
 */
export type RowComparison = { state: 'unavailable' } | { state: 'moving' } | { state: 'settled'; difference: number };

export interface RowCountReading {
  /** `T | count`, summed over the connector's tables; null when the target did not answer. */
  targetRowCount: number | null;
  /** The rows-written counter read before the count. */
  writtenBefore: number;
  /** The same counter once every worker has reported after the count. */
  writtenAfter: number;
  /** The counter moved during the metrics cycle before the count: rows are flowing. */
  writtenRecently: boolean;
  /** Queued blobs not yet ingested or failed: their rows are counted as written, not yet in the table. */
  pendingBlobs: number;
}

export function compareRowCounts(reading: RowCountReading): RowComparison {
  if (reading.targetRowCount === null) return { state: 'unavailable' };
  if (reading.writtenRecently || reading.pendingBlobs > 0 || reading.writtenBefore !== reading.writtenAfter) return { state: 'moving' };
  return { state: 'settled', difference: reading.targetRowCount - reading.writtenAfter };
}

export interface TargetView {
  database: string;
  table: string;
  columns: { name: string; type: string }[];
  /** `T | count` on the target (summed over a connector's routed tables); null when the target could not answer. */
  targetRowCount: number | null;
  /** What the workers report as written, as of the comparison. */
  rowsWritten: number;
  rowComparison: RowComparison;
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
