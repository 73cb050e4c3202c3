'use client';

import { useQuery } from '@tanstack/react-query';
import type { ConnectorErrorView } from '@/lib/connectors/read-connectors';
import { connectorKeys, LIVE_REFETCH_MS } from './connector-keys';
import { fetchJson } from './fetch-json';

export type { ConnectorErrorView };

export function useConnectorErrors(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: connectorKeys.errors(id),
    queryFn: async () => (await fetchJson<{ errors: ConnectorErrorView[] }>(`/api/connectors/${encodeURIComponent(id)}/errors`)).errors,
    enabled,
    refetchInterval: LIVE_REFETCH_MS,
  });
}
