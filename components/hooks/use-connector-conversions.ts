'use client';

import { useQuery } from '@tanstack/react-query';
import type { ConversionIssueView } from '@/lib/connectors/conversion-views';
import { connectorKeys } from './connector-keys';
import { fetchJson } from './fetch-json';

export type { ConversionIssueView };

/** Counted per minute by the workers; a poll every 10 s shows a new minute's findings soon enough. */
const CONVERSIONS_REFETCH_MS = 10_000;

export function useConnectorConversions(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: connectorKeys.conversions(id),
    queryFn: async () => (await fetchJson<{ issues: ConversionIssueView[] }>(`/api/connectors/${encodeURIComponent(id)}/conversions`)).issues,
    enabled,
    refetchInterval: CONVERSIONS_REFETCH_MS,
  });
}
