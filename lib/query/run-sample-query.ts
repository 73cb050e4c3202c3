import 'server-only';
import { ClientRequestProperties } from 'azure-kusto-data';
import { z } from 'zod';
import type { Db } from '../db/prisma';
import { AppError, ErrorCode, parseOrThrow } from '../errors';
import { kustoErrorMessage } from '../kusto/kusto-clients';
import { withConnectorTarget } from '../kusto/open-connector-target';
import type { SampleQueryResult } from './query-result';
import { checkSampleQuery } from './sample-query-policy';

export const SAMPLE_QUERY_MAX_ROWS = 1_000;
export const SAMPLE_QUERY_TIMEOUT_MS = 30_000;

export const ZSampleQueryRequest = z.object({ csl: z.string().trim().min(1, 'is required').max(64_000, 'must be at most 64,000 characters') }).strict();

export type { SampleQueryResult };

/**
 * Runs a read-only query, or one of the read-only `.show` commands the ADX web UI runs, against
 * the connector's target database (sample-query-policy.ts says what passes), sent with
 * `request_readonly` so the target refuses any write as well. `query_take_max_records` makes
 * the target stop at one row past the cap (without the partial-failure error that
 * `truncationmaxrecords` raises), which tells whether the answer was cut. A query the target
 * refuses is the user's to fix, so its own message comes back as QUERY_REJECTED.
 */
export async function runSampleQuery(db: Db, id: string, input: unknown, secretKey: string): Promise<SampleQueryResult> {
  const { csl } = parseOrThrow(ZSampleQueryRequest, input);
  return withConnectorTarget(db, id, secretKey, async ({ definition }, kusto) => {
    const database = definition.target.database;
    const kind = checkSampleQuery(csl, database);
    const properties = new ClientRequestProperties();
    properties.setOption('query_take_max_records', SAMPLE_QUERY_MAX_ROWS + 1);
    properties.setOption('request_readonly', true);
    properties.setTimeout(SAMPLE_QUERY_TIMEOUT_MS);
    const started = performance.now();
    try {
      // executeQuery, not execute, for a query: the SDK would send a text starting with a dot to the management endpoint.
      const response = kind === 'command' ? await kusto.query.executeMgmt(database, csl, properties) : await kusto.query.executeQuery(database, csl, properties);
      const table = response.primaryResults[0];
      const rows = table ? [...table.rows()].map((row) => [...row.values()]) : [];
      return {
        columns: table ? table.columns.map((column) => ({ name: column.name ?? '', type: column.type ?? 'string' })) : [],
        rows: rows.slice(0, SAMPLE_QUERY_MAX_ROWS),
        rowCount: Math.min(rows.length, SAMPLE_QUERY_MAX_ROWS),
        truncated: rows.length > SAMPLE_QUERY_MAX_ROWS,
        durationMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      throw new AppError(ErrorCode.QUERY_REJECTED, kustoErrorMessage(error));
    }
  });
}
