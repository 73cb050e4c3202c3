'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TColumn } from '@/lib/connectors/connector-definition';
import type { SchemaChangeReport } from '@/lib/connectors/schema-change-views';
import { connectorKeys } from './connector-keys';
import { fetchJson, MUTATION_TIMEOUT_MS } from './fetch-json';

export type { SchemaChangeReport };

/** Samples the topics on the server: asked for on load and each minute, not every 2 s. */
const SCHEMA_CHANGES_REFETCH_MS = 60_000;

export function useSchemaChanges(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: connectorKeys.schemaChanges(id),
    queryFn: () => fetchJson<SchemaChangeReport>(`/api/connectors/${encodeURIComponent(id)}/schema-changes`),
    enabled,
    refetchInterval: SCHEMA_CHANGES_REFETCH_MS,
  });
}

/** Applies the proposed columns as a new revision; the connector and the proposal are read again. */
export function useApplySchemaChange(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { expectedRevision: number; tables: { table: string; columns: TColumn[] }[] }) =>
      fetchJson<unknown>(`/api/connectors/${encodeURIComponent(id)}/schema-changes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
        signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS),
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: connectorKeys.detail(id), exact: true });
      void queryClient.invalidateQueries({ queryKey: connectorKeys.schemaChanges(id) });
    },
  });
}
