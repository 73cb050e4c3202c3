'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { KustoConnectionView, TKustoConnectionInput, TKustoConnectionTest, TKustoPrincipalRole } from '@/lib/connections/connection-definitions';
import { fetchJson, MUTATION_TIMEOUT_MS } from './fetch-json';

export type { KustoConnectionView, TKustoConnectionTest };

export const kustoConnectionKeys = {
  all: ['kusto-connections'] as const,
};

export function useKustoConnections() {
  return useQuery({
    queryKey: kustoConnectionKeys.all,
    queryFn: async () => (await fetchJson<{ connections: KustoConnectionView[] }>('/api/connections/kusto')).connections,
  });
}

/** Creates (no id) or replaces a connection's settings; blank secrets keep the stored ones. */
export function useSaveKustoConnection(id: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: TKustoConnectionInput) =>
      (await fetchJson<{ connection: KustoConnectionView }>(id ? connectionPath(id) : '/api/connections/kusto', jsonInit(id ? 'PUT' : 'POST', input))).connection,
    onSuccess: (saved) => storeConnection(queryClient, saved),
  });
}

/** Adopts the role a test found. */
export function useChangePrincipalRole(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (principalRole: TKustoPrincipalRole) =>
      (await fetchJson<{ connection: KustoConnectionView }>(connectionPath(id), jsonInit('PATCH', { principalRole }))).connection,
    onSuccess: (saved) => storeConnection(queryClient, saved),
  });
}

/** Refused with a 409 naming the connectors while any use the connection. */
export function useDeleteKustoConnection(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => fetchJson<null>(connectionPath(id), { method: 'DELETE', signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: kustoConnectionKeys.all, exact: true }),
  });
}

/** Tests a saved connection; the answer is the connection with its new last test. */
export function useTestKustoConnection(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (database: string) =>
      (await fetchJson<{ connection: KustoConnectionView }>(`${connectionPath(id)}/test`, jsonInit('POST', { database }))).connection,
    onSuccess: (saved) => storeConnection(queryClient, saved),
  });
}

/** Tests a form's settings without saving them; with `connectionId`, blank secrets come from that connection. */
export function useTestKustoDraft() {
  return useMutation({
    mutationFn: async (request: { connection: TKustoConnectionInput; database: string; connectionId?: string }) =>
      (await fetchJson<{ test: TKustoConnectionTest }>('/api/connections/kusto/test', jsonInit('POST', request))).test,
  });
}

/** The answer is the saved view: shown at once, then the list is fetched again for the order. */
function storeConnection(queryClient: ReturnType<typeof useQueryClient>, saved: KustoConnectionView) {
  queryClient.setQueryData<KustoConnectionView[]>(kustoConnectionKeys.all, (connections) =>
    connections && (connections.some((connection) => connection.id === saved.id) ? connections.map((connection) => (connection.id === saved.id ? saved : connection)) : [...connections, saved]),
  );
  return queryClient.invalidateQueries({ queryKey: kustoConnectionKeys.all, exact: true });
}

function jsonInit(method: string, body: unknown): RequestInit {
  return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS) };
}

function connectionPath(id: string): string {
  return `/api/connections/kusto/${encodeURIComponent(id)}`;
}
