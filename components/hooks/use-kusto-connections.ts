'use client';

import { useQuery } from '@tanstack/react-query';
import type { KustoConnectionView } from '@/lib/connections/save-connections';
import { fetchJson } from './fetch-json';

export type { KustoConnectionView };

export const kustoConnectionKeys = {
  all: ['kusto-connections'] as const,
};

export function useKustoConnections() {
  return useQuery({
    queryKey: kustoConnectionKeys.all,
    queryFn: async () => (await fetchJson<{ connections: KustoConnectionView[] }>('/api/connections/kusto')).connections,
  });
}
