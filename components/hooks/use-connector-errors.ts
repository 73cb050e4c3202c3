'use client';

import { useQuery } from '@tanstack/react-query';
import type { ConnectorErrorsView } from '@/lib/connectors/connector-views';
import { connectorKeys, LIVE_REFETCH_MS } from './connector-keys';
import { fetchJson } from './fetch-json';

export function useConnectorErrors(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: connectorKeys.errors(id),
    queryFn: () => fetchJson<ConnectorErrorsView>(`/api/connectors/${encodeURIComponent(id)}/errors`),
    enabled,
    refetchInterval: LIVE_REFETCH_MS,
  });
}
