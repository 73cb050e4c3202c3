import type { Client as KustoClient } from 'azure-kusto-data';

export interface RowsArrival {
  rows: number;
  seconds: number;
  /** From the start to the first row seen. */
  startupSeconds: number;
  /** Rows seen at that first look: the rate after it is (rows - firstRows) / (seconds - startupSeconds). */
  firstRows: number;
}

/**
 * Polls `readRows` every `intervalMs` until it reaches `expected`; times from `startedAt`
 * (performance.now()). A read that fails (the table is not there yet) counts as no change.
 */
export async function waitForRows(readRows: () => Promise<number>, expected: number, startedAt: number, intervalMs: number, timeoutMs: number): Promise<RowsArrival> {
  let rows = 0;
  let firstAt: number | null = null;
  let firstRows = 0;
  while (rows < expected) {
    if (performance.now() - startedAt > timeoutMs) throw new Error(`${rows} of ${expected} rows after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    rows = await readRows().catch(() => rows);
    if (rows > 0 && firstAt === null) {
      firstAt = performance.now();
      firstRows = rows;
    }
  }
  const finished = performance.now();
  return { rows, seconds: (finished - startedAt) / 1000, startupSeconds: ((firstAt ?? finished) - startedAt) / 1000, firstRows };
}

/** `T | count` through azure-kusto-data's query endpoint. */
export async function countRows(kusto: KustoClient, database: string, table: string): Promise<number> {
  const response = await kusto.execute(database, `${table} | count`);
  const [row] = response.primaryResults[0].toJSON<{ Count: number }>().data;
  return Number(row.Count);
}

/** The sum of several tables' counts; a table not created yet counts 0. */
export async function countRowsIn(kusto: KustoClient, database: string, tables: string[]): Promise<number> {
  const counts = await Promise.all(tables.map((table) => countRows(kusto, database, table).catch(() => 0)));
  return counts.reduce((sum, count) => sum + count, 0);
}
