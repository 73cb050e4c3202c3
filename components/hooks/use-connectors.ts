'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConnectorDetailView, ConnectorSummaryView } from '@/lib/connectors/connector-views';
import type { LifecycleAction } from '@/lib/connectors/lifecycle-rules';
import type { ResetPartition, TResetOffsetsRequest } from '@/lib/connectors/reset-offsets-contracts';
import { connectorKeys, LIVE_REFETCH_MS } from './connector-keys';
import { fetchJson, isNotFound, MUTATION_TIMEOUT_MS } from './fetch-json';

export function useConnectors() {
  return useQuery({
    queryKey: connectorKeys.all,
    queryFn: async () => (await fetchJson<{ connectors: ConnectorSummaryView[] }>('/api/connectors')).connectors,
    refetchInterval: LIVE_REFETCH_MS,
  });
}

export function useConnector(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: connectorKeys.detail(id),
    queryFn: async () => (await fetchJson<{ connector: ConnectorDetailView }>(connectorPath(id))).connector,
    enabled,
    // A deleted or unknown connector will not come back by polling.
    refetchInterval: (query) => (isNotFound(query.state.error) ? false : LIVE_REFETCH_MS),
  });
}

/**
 * Runs a lifecycle action. The answer is the new desired state; the cached views take it at once
 * so the transitional label shows before the next poll, and only the two affected queries refetch.
 */
export function useConnectorAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: LifecycleAction) =>
      fetchJson<{ desiredState: string }>(`${connectorPath(id)}/actions/${action}`, { method: 'POST', signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS) }),
    onSuccess: async ({ desiredState }, action) => {
      if (action === 'delete') {
        queryClient.setQueryData<ConnectorSummaryView[]>(connectorKeys.all, (connectors) => connectors?.filter((connector) => connector.id !== id));
        queryClient.removeQueries({ queryKey: connectorKeys.detail(id) });
        await queryClient.invalidateQueries({ queryKey: connectorKeys.all, exact: true });
        return;
      }
      queryClient.setQueryData<ConnectorDetailView>(connectorKeys.detail(id), (connector) => connector && { ...connector, desiredState });
      queryClient.setQueryData<ConnectorSummaryView[]>(connectorKeys.all, (connectors) =>
        connectors?.map((connector) => (connector.id === id ? { ...connector, desiredState } : connector)),
      );
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: connectorKeys.detail(id), exact: true }),
        queryClient.invalidateQueries({ queryKey: connectorKeys.all, exact: true }),
      ]);
    },
    // A refusal (409) usually means the state changed elsewhere: fetch it so the buttons match it again.
    onError: () => queryClient.invalidateQueries({ queryKey: connectorKeys.detail(id), exact: true }),
  });
}

/** Moves the consumer group's committed offsets; the API accepts it only while the connector is stopped. */
export function useResetOffsets(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (target: TResetOffsetsRequest) =>
      (
        await fetchJson<{ partitions: ResetPartition[] }>(`${connectorPath(id)}/reset-offsets`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(target),
          signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS),
        })
      ).partitions,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: connectorKeys.detail(id), exact: true }),
  });
}

export interface BulkActionFailure {
  name: string;
  message: string;
}

/** One action on many connectors; each is tried, and the ones the API refused are listed by name. */
export function useBulkConnectorAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ action, connectors }: { action: 'pause' | 'resume'; connectors: { id: string; name: string }[] }) => {
      const outcomes = await Promise.allSettled(
        connectors.map((connector) => fetchJson(`${connectorPath(connector.id)}/actions/${action}`, { method: 'POST', signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS) })),
      );
      return outcomes.flatMap((outcome, index): BulkActionFailure[] =>
        outcome.status === 'rejected' ? [{ name: connectors[index].name, message: (outcome.reason as Error).message }] : [],
      );
    },
    onSettled: async (_failures, _error, { connectors }) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: connectorKeys.all, exact: true }),
        ...connectors.map((connector) => queryClient.invalidateQueries({ queryKey: connectorKeys.detail(connector.id), exact: true })),
      ]);
    },
  });
}

function connectorPath(id: string): string {
  return `/api/connectors/${encodeURIComponent(id)}`;
}
