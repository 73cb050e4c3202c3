'use client';

import { useQuery } from '@tanstack/react-query';
import type { WorkerView } from '@/lib/workers/worker-views';
import { LIVE_REFETCH_MS } from './connector-keys';
import { fetchJson } from './fetch-json';

export const workerKeys = { all: ['workers'] as const };

export function useWorkers() {
  return useQuery({
    queryKey: workerKeys.all,
    queryFn: async () => (await fetchJson<{ workers: WorkerView[] }>('/api/workers')).workers,
    refetchInterval: LIVE_REFETCH_MS,
  });
}
