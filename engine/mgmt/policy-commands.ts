import type { TResultTable } from '../protocol/result-table';
import { requireTable, setTablePolicy, type TTablePolicy, type TTableRecord } from '../storage/catalog';
import type { TStore } from '../storage/open-store';
import type { TCommand, TPolicyName } from './parse-command';
import { alterBatchingPolicy, alterStreamingPolicy } from './table-policies';

const POLICIES: Record<TPolicyName, { stored: TTablePolicy; displayName: string }> = {
  ingestionbatching: { stored: 'batching', displayName: 'IngestionBatchingPolicy' },
  streamingingestion: { stored: 'streaming', displayName: 'StreamingIngestionPolicy' },
};

/** The row `.show`/`.alter` policy commands return, for a table or a database. */
export function policyResultTable(policyName: string, entityName: string, json: string | null, entityType: 'Table' | 'Database'): TResultTable {
  return {
    columns: [
      { name: 'PolicyName', type: 'string' },
      { name: 'EntityName', type: 'string' },
      { name: 'Policy', type: 'string' },
      { name: 'ChildEntities', type: 'string' },
      { name: 'EntityType', type: 'string' },
    ],
    rows: [[policyName, entityName, json, null, entityType]],
  };
}

function policyResult(table: TTableRecord, policy: TPolicyName): TResultTable {
  const json = POLICIES[policy].stored === 'batching' ? table.batchingPolicy : table.streamingPolicy;
  return policyResultTable(POLICIES[policy].displayName, `[${table.database}].[${table.name}]`, json, 'Table');
}

export async function alterPolicy(store: TStore, database: string, command: Extract<TCommand, { kind: 'alterPolicy' }>): Promise<TResultTable> {
  const table = await store.write(async (connection) => {
    const current = await requireTable(connection, database, command.table.name);
    const json =
      command.policy === 'ingestionbatching'
        ? alterBatchingPolicy(command.value, current.batchingPolicy, command.merge)
        : alterStreamingPolicy(command.value, current.streamingPolicy, command.merge);
    return setTablePolicy(connection, current, POLICIES[command.policy].stored, json);
  });
  return policyResult(table, command.policy);
}

export async function deletePolicy(store: TStore, database: string, command: Extract<TCommand, { kind: 'deletePolicy' }>): Promise<TResultTable> {
  const table = await store.write(async (connection) => {
    const current = await requireTable(connection, database, command.table.name);
    return setTablePolicy(connection, current, POLICIES[command.policy].stored, null);
  });
  return policyResult(table, command.policy);
}

export async function showPolicy(store: TStore, database: string, command: Extract<TCommand, { kind: 'showPolicy' }>): Promise<TResultTable> {
  const table = await store.read((connection) => requireTable(connection, database, command.table.name));
  return policyResult(table, command.policy);
}
