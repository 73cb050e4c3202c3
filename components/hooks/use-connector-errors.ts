'use client';

import { useQuery } from '@tanstack/react-query';
import type { ConnectorErrorView } from '@/lib/connectors/connector-views';
import { connectorKeys, LIVE_REFETCH_MS } from './connector-keys';
import { fetchJson } from './fetch-json';

export type { ConnectorErrorView };

export interface ConnectorErrors {
  errors: ConnectorErrorView[];
  /** Over the connector's whole history, not only the listed recent ones. */
  countsByKind: Record<string, number>;
}

export function useConnectorErrors(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: connectorKeys.errors(id),
    queryFn: () => fetchJson<ConnectorErrors>(`/api/connectors/${encodeURIComponent(id)}/errors`),
    enabled,
    refetchInterval: LIVE_REFETCH_MS,
  });
}
