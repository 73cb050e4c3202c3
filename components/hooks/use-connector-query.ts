'use client';

import { useMutation } from '@tanstack/react-query';
import { fetchJson } from './fetch-json';

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  durationMs: number;
}

// The API gives the target 30 s; a little more covers the round trip.
const QUERY_TIMEOUT_MS = 40_000;

/** Runs KQL against the connector's target; nothing is cached, each run is a fresh answer. */
export function useRunConnectorQuery(id: string) {
  return useMutation({
    mutationFn: (csl: string) =>
      fetchJson<QueryResult>(`/api/connectors/${encodeURIComponent(id)}/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ csl }),
        signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
      }),
  });
}
