'use client';

import { useQuery } from '@tanstack/react-query';
import type { TKustoDatabaseView, TKustoTableView } from '@/lib/kusto/cluster-catalog';
import { fetchJson } from './fetch-json';

export const kustoCatalogKeys = {
  databases: (connectionId: string) => ['kusto-connections', connectionId, 'databases'] as const,
  tables: (connectionId: string, database: string) => ['kusto-connections', connectionId, 'databases', database, 'tables'] as const,
};

function databasesPath(connectionId: string): string {
  return `/api/connections/kusto/${encodeURIComponent(connectionId)}/databases`;
}

/** The databases a Kusto connection sees; read again on demand, as a table created meanwhile would not show otherwise. */
export function useKustoDatabases(connectionId: string | null) {
  return useQuery({
    queryKey: kustoCatalogKeys.databases(connectionId ?? ''),
    queryFn: async () => (await fetchJson<{ databases: TKustoDatabaseView[] }>(databasesPath(connectionId!))).databases,
    enabled: connectionId !== null,
  });
}

/** The tables of a database the connection sees; `database` null until one the cluster has is chosen. */
export function useKustoTables(connectionId: string | null, database: string | null) {
  return useQuery({
    queryKey: kustoCatalogKeys.tables(connectionId ?? '', database ?? ''),
    queryFn: async () => (await fetchJson<{ tables: TKustoTableView[] }>(`${databasesPath(connectionId!)}/${encodeURIComponent(database!)}/tables`)).tables,
    enabled: connectionId !== null && database !== null,
  });
}
