import type { DuckDBConnection } from '@duckdb/node-api';
import type { TResultTable } from '../protocol/result-table';
import { ensureDatabase, type TTablePolicy, type TTableRecord } from '../storage/catalog';
import type { TStore } from '../storage/open-store';
import type { TCommand, TPolicyName } from './parse-command';
import { policyResultTable } from './policy-commands';
import { alterBatchingPolicy, alterStreamingPolicy } from './table-policies';

/**
 * Database-level ingestion batching and streaming policies (batching-policy.md,
 * streaming-ingestion-policy.md): they apply to every table of the database that has no policy
 * of its own. Kept in their own catalog table beside the data, like the table policies.
 */

const STORED: Record<TPolicyName, TTablePolicy> = { ingestionbatching: 'batching', streamingingestion: 'streaming' };
const DISPLAY: Record<TPolicyName, string> = { ingestionbatching: 'IngestionBatchingPolicy', streamingingestion: 'StreamingIngestionPolicy' };

export async function createDatabasePolicySchema(connection: DuckDBConnection): Promise<void> {
  await connection.run('CREATE TABLE IF NOT EXISTS meta.database_policies (database_name VARCHAR NOT NULL, policy VARCHAR NOT NULL, json VARCHAR NOT NULL, PRIMARY KEY (database_name, policy))');
}

export async function findDatabasePolicy(connection: DuckDBConnection, database: string, policy: TTablePolicy): Promise<string | null> {
  const reader = await connection.runAndReadAll('SELECT json FROM meta.database_policies WHERE database_name = $1 AND policy = $2', [database, policy]);
  const [row] = reader.getRowObjects();
  return row ? String(row.json) : null;
}

/** The policy in force for a table: its own, else its database's, else null (ADX's defaults apply). */
export async function effectiveTablePolicy(connection: DuckDBConnection, table: TTableRecord, policy: TTablePolicy): Promise<string | null> {
  const own = policy === 'batching' ? table.batchingPolicy : table.streamingPolicy;
  return own ?? findDatabasePolicy(connection, table.database, policy);
}

async function setDatabasePolicy(connection: DuckDBConnection, database: string, policy: TTablePolicy, json: string | null): Promise<void> {
  await connection.run('DELETE FROM meta.database_policies WHERE database_name = $1 AND policy = $2', [database, policy]);
  if (json !== null) await connection.run('INSERT INTO meta.database_policies VALUES ($1, $2, $3)', [database, policy, json]);
}

function databasePolicyResult(database: string, policy: TPolicyName, json: string | null): TResultTable {
  return policyResultTable(DISPLAY[policy], `[${database}]`, json, 'Database');
}

type TDatabasePolicyCommand = Extract<TCommand, { kind: 'databasePolicy' }>;

/** `.alter[-merge] database D policy …`, `.delete database D policy …`, `.show database D policy …`. */
export async function databasePolicyCommand(store: TStore, command: TDatabasePolicyCommand): Promise<TResultTable> {
  const stored = STORED[command.policy];
  if (command.action === 'show') {
    const json = await store.read((connection) => findDatabasePolicy(connection, command.database, stored));
    return databasePolicyResult(command.database, command.policy, json);
  }
  const json = await store.write(async (connection) => {
    await ensureDatabase(connection, command.database);
    if (command.action === 'delete') {
      await setDatabasePolicy(connection, command.database, stored, null);
      return null;
    }
    const current = await findDatabasePolicy(connection, command.database, stored);
    const next =
      command.policy === 'ingestionbatching'
        ? alterBatchingPolicy(command.value, current, command.merge)
        : alterStreamingPolicy(command.value, current, command.merge);
    await setDatabasePolicy(connection, command.database, stored, next);
    return next;
  });
  return databasePolicyResult(command.database, command.policy, json);
}
