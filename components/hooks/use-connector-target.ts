'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppliedCommand, TargetView } from '@/lib/kql/target-view';
import { connectorKeys } from './connector-keys';
import { fetchJson, MUTATION_TIMEOUT_MS } from './fetch-json';

// Counting rows and reading the schema costs the target a query each; every 5 s is live enough.
const TARGET_REFETCH_MS = 5_000;

export function useConnectorTarget(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: connectorKeys.target(id),
    queryFn: () => fetchJson<TargetView>(`/api/connectors/${encodeURIComponent(id)}/target`),
    enabled,
    refetchInterval: TARGET_REFETCH_MS,
  });
}

export function useReapplyTarget(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      (await fetchJson<{ results: AppliedCommand[] }>(`/api/connectors/${encodeURIComponent(id)}/target/reapply`, { method: 'POST', signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS) })).results,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: connectorKeys.target(id), exact: true }),
  });
}
