import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBTimestampValue } from '@duckdb/node-api';
import { wireDatetime } from '../mgmt/table-commands';
import type { TResultTable } from '../protocol/result-table';
import type { TStore } from '../storage/open-store';

/**
 * What `.show ingestion failures` lists (ingestion-failures.md), kept in the engine's DuckDB file
 * like the rest of the catalog, for ADX's 14 days.
 */

const RETENTION_MS = 14 * 24 * 60 * 60 * 1000;

/** Timestamps are stored as UTC ISO text cast to TIMESTAMP, so the cutoff is computed the same way. */
function retentionCutoff(): string {
  return new Date(Date.now() - RETENTION_MS).toISOString();
}

export interface TIngestionFailure {
  operationId: string;
  database: string;
  table: string;
  failedOn: Date;
  sourcePath: string;
  details: string;
  permanent: boolean;
  rootActivityId: string;
  errorCode: string;
  ingestionProperties: string;
}

export async function createIngestionFailureSchema(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE TABLE IF NOT EXISTS meta.ingestion_failures (
    operation_id VARCHAR NOT NULL, database_name VARCHAR NOT NULL, table_name VARCHAR NOT NULL,
    failed_on TIMESTAMP NOT NULL, source_path VARCHAR NOT NULL, details VARCHAR NOT NULL, permanent BOOLEAN NOT NULL,
    root_activity_id VARCHAR NOT NULL, error_code VARCHAR NOT NULL, ingestion_properties VARCHAR NOT NULL)`);
}

export async function recordIngestionFailures(store: TStore, failures: readonly TIngestionFailure[]): Promise<void> {
  if (failures.length === 0) return;
  await store.write(async (connection) => {
    await connection.run('DELETE FROM meta.ingestion_failures WHERE failed_on < CAST($1 AS TIMESTAMP)', [retentionCutoff()]);
    for (const failure of failures) {
      await connection.run('INSERT INTO meta.ingestion_failures VALUES ($1, $2, $3, CAST($4 AS TIMESTAMP), $5, $6, $7, $8, $9, $10)', [
        failure.operationId,
        failure.database,
        failure.table,
        failure.failedOn.toISOString(),
        failure.sourcePath,
        failure.details,
        failure.permanent,
        failure.rootActivityId,
        failure.errorCode,
        failure.ingestionProperties,
      ]);
    }
  });
}

const COLUMNS: TResultTable['columns'] = [
  { name: 'OperationId', type: 'string' },
  { name: 'Database', type: 'string' },
  { name: 'Table', type: 'string' },
  { name: 'FailedOn', type: 'datetime' },
  { name: 'IngestionSourcePath', type: 'string' },
  { name: 'Details', type: 'string' },
  { name: 'FailureKind', type: 'string' },
  { name: 'RootActivityId', type: 'string' },
  { name: 'OperationKind', type: 'string' },
  { name: 'OriginatesFromUpdatePolicy', type: 'bool' },
  { name: 'ErrorCode', type: 'string' },
  { name: 'Principal', type: 'string' },
  { name: 'User', type: 'string' },
  { name: 'IngestionProperties', type: 'string' },
  { name: 'NumberOfSources', type: 'int' },
  { name: 'ShouldRetry', type: 'bool' },
];

export async function showIngestionFailures(store: TStore, operationId?: string): Promise<TResultTable> {
  const rows = await store.read(async (connection) => {
    const filter = operationId === undefined ? '' : 'AND operation_id = $2';
    const reader = await connection.runAndReadAll(
      `SELECT * FROM meta.ingestion_failures WHERE failed_on >= CAST($1 AS TIMESTAMP) ${filter} ORDER BY failed_on`,
      operationId === undefined ? [retentionCutoff()] : [retentionCutoff(), operationId],
    );
    return reader.getRowObjects();
  });
  return {
    columns: COLUMNS,
    rows: rows.map((row) => [
      String(row.operation_id),
      String(row.database_name),
      String(row.table_name),
      wireDatetime(row.failed_on instanceof DuckDBTimestampValue ? new Date(Number(row.failed_on.micros / 1000n)) : null),
      String(row.source_path),
      String(row.details),
      row.permanent ? 'Permanent' : 'Transient',
      String(row.root_activity_id),
      // The phase ADX names for queued ingestion of a blob (ingestion-failures.md example).
      'DataIngestPull',
      false,
      String(row.error_code),
      '',
      '',
      String(row.ingestion_properties),
      1,
      !row.permanent,
    ]),
  };
}
