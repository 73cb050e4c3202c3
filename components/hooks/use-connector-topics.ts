'use client';

import { useQuery } from '@tanstack/react-query';
import type { TopicSummary } from '@/lib/connectors/topic-summaries';
import { connectorKeys, LIVE_REFETCH_MS } from './connector-keys';
import { fetchJson } from './fetch-json';

export type { TopicSummary };

/** Per topic: its table, lag, rows and recorded errors. */
export function useConnectorTopics(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: connectorKeys.topics(id),
    queryFn: async () => (await fetchJson<{ topics: TopicSummary[] }>(`/api/connectors/${encodeURIComponent(id)}/topics`)).topics,
    enabled,
    refetchInterval: LIVE_REFETCH_MS,
  });
}
