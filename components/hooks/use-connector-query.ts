'use client';

import { useMutation } from '@tanstack/react-query';
import type { SampleQueryResult } from '@/lib/query/query-result';
import { fetchJson } from './fetch-json';

// The API gives the target 30 s; a little more covers the round trip.
const QUERY_TIMEOUT_MS = 40_000;

/** Runs KQL against the connector's target; nothing is cached, each run is a fresh answer. */
export function useRunConnectorQuery(id: string) {
  return useMutation({
    mutationFn: (csl: string) =>
      fetchJson<SampleQueryResult>(`/api/connectors/${encodeURIComponent(id)}/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ csl }),
        signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
      }),
  });
}
