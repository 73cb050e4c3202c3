'use client';

import { useQuery } from '@tanstack/react-query';
import type { ConnectorIngestionView } from '@/lib/connectors/ingestion-view';
import { connectorKeys, LIVE_REFETCH_MS } from './connector-keys';
import { fetchJson } from './fetch-json';

export function useConnectorIngestion(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: connectorKeys.ingestion(id),
    queryFn: () => fetchJson<ConnectorIngestionView>(`/api/connectors/${encodeURIComponent(id)}/ingestion`),
    enabled,
    refetchInterval: LIVE_REFETCH_MS,
  });
}
