'use client';

import { useQuery } from '@tanstack/react-query';
import type { MetricPoint } from '@/lib/connectors/connector-views';
import { connectorKeys, LIVE_REFETCH_MS, type MetricsRange } from './connector-keys';
import { fetchJson } from './fetch-json';

// A wide range gains nothing from a 2 s poll: one new sample barely moves a 24 h series.
const REFETCH_MS_BY_RANGE: Record<MetricsRange, number> = { '15m': LIVE_REFETCH_MS, '1h': 10_000, '24h': 60_000 };

export function useConnectorMetrics(id: string, range: MetricsRange, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: connectorKeys.metrics(id, range),
    queryFn: async () =>
      (await fetchJson<{ points: MetricPoint[] }>(`/api/connectors/${encodeURIComponent(id)}/metrics?range=${range}`)).points,
    enabled,
    refetchInterval: REFETCH_MS_BY_RANGE[range],
  });
}
