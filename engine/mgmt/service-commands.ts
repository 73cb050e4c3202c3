import { createHash } from 'node:crypto';
import type { TResultTable } from '../protocol/result-table';
import type { TStore } from '../storage/open-store';

/** Cluster-level commands clients and tools send around ingestion: `.show version`, `.show databases`, cache clears. */

const STARTED_AT = new Date();

/** show-version.md columns. */
export function showVersion(): TResultTable {
  return {
    columns: [
      { name: 'BuildVersion', type: 'string' },
      { name: 'BuildTime', type: 'datetime' },
      { name: 'ServiceType', type: 'string' },
      { name: 'ProductVersion', type: 'string' },
      { name: 'ServiceOffering', type: 'string' },
    ],
    rows: [['1.0.0.0', STARTED_AT.toISOString(), 'Engine', 'Kastor local Kusto engine', JSON.stringify({ Type: 'Azure Data Explorer' })]],
  };
}

/** A stable id per database name, so DatabaseId does not change across restarts. */
function databaseId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * show-databases.md. The engine creates a database implicitly with its first table or policy,
 * so those are the databases it lists.
 */
export async function showDatabases(store: TStore, requestDatabase: string): Promise<TResultTable> {
  const names = await store.read(async (connection) => (await connection.runAndReadAll('SELECT name FROM meta.databases ORDER BY name')).getRowObjects().map((row) => String(row.name)));
  return {
    columns: [
      { name: 'DatabaseName', type: 'string' },
      { name: 'PersistentStorage', type: 'string' },
      { name: 'Version', type: 'string' },
      { name: 'IsCurrent', type: 'bool' },
      { name: 'DatabaseAccessMode', type: 'string' },
      { name: 'PrettyName', type: 'string' },
      { name: 'ReservedSlot1', type: 'bool' },
      { name: 'DatabaseId', type: 'guid' },
      { name: 'InTransitionTo', type: 'string' },
    ],
    rows: names.map((name) => [name, '', 'v1.0', name === requestDatabase, 'ReadWrite', '', false, databaseId(name), '']),
  };
}

/** The engine keeps no such caches: every schema change is seen at once, so clearing is a no-op that succeeds. */
export function clearCache(): TResultTable {
  return {
    columns: [
      { name: 'NodeId', type: 'string' },
      { name: 'Status', type: 'string' },
    ],
    rows: [['KustoLocalEngine', 'Succeeded']],
  };
}
