'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConnectorRevisionView, RevisionDiffView } from '@/lib/connectors/revision-view';
import type { SaveConnectorResult } from '@/lib/connectors/save-steps';
import { connectorKeys } from './connector-keys';
import { fetchJson, MUTATION_TIMEOUT_MS } from './fetch-json';

function revisionsPath(id: string): string {
  return `/api/connectors/${encodeURIComponent(id)}/revisions`;
}

/** Newest first; a new revision is saved by a person, so it is read again with the connector's revision, not on a timer. */
export function useConnectorRevisions(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: connectorKeys.revisions(id),
    queryFn: async () => (await fetchJson<{ revisions: ConnectorRevisionView[] }>(revisionsPath(id))).revisions,
    enabled,
  });
}

/** What changed from one saved revision to another, as the server's diff of the two definitions; revisions never change, so neither does a diff. */
export function useRevisionDiff(id: string, range: { from: number; to: number } | null) {
  return useQuery({
    queryKey: connectorKeys.revisionDiff(id, range?.from ?? 0, range?.to ?? 0),
    queryFn: () => fetchJson<RevisionDiffView>(`${revisionsPath(id)}/diff?from=${range!.from}&to=${range!.to}`),
    enabled: range !== null,
    staleTime: Infinity,
  });
}

/** Saves an old revision's definition as a new revision (target KQL first, as any save), compare-and-set on the revision shown. */
export function useRollBackConnector(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ revision, expectedRevision }: { revision: number; expectedRevision: number }) =>
      (
        await fetchJson<SaveConnectorResult>(`${revisionsPath(id)}/${revision}/rollback`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ expectedRevision }),
          signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS),
        })
      ).connector,
    onSuccess: async (connector) => {
      queryClient.setQueryData(connectorKeys.detail(id), connector);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: connectorKeys.revisions(id), exact: true }),
        queryClient.invalidateQueries({ queryKey: connectorKeys.detail(id), exact: true }),
        queryClient.invalidateQueries({ queryKey: connectorKeys.target(id), exact: true }),
      ]);
    },
    // A 409 means someone saved meanwhile: the list shows their revision.
    onError: () => queryClient.invalidateQueries({ queryKey: connectorKeys.revisions(id), exact: true }),
  });
}
