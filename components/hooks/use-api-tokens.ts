'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiTokenView, CreatedApiToken, TCreateApiToken } from '@/lib/auth/api-token-contracts';
import { fetchJson, MUTATION_TIMEOUT_MS } from './fetch-json';

export const apiTokenKeys = { all: ['api-tokens'] as const };

export function useApiTokens() {
  return useQuery({ queryKey: apiTokenKeys.all, queryFn: async () => (await fetchJson<{ tokens: ApiTokenView[] }>('/api/tokens')).tokens });
}

/** The answer holds the token itself, once; it is kept in the mutation's state only, never in the cache. */
export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TCreateApiToken) =>
      fetchJson<CreatedApiToken>('/api/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input), signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokenKeys.all, exact: true }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson<{ token: ApiTokenView }>(`/api/tokens/${encodeURIComponent(id)}`, { method: 'DELETE', signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokenKeys.all, exact: true }),
  });
}
