'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditPage, TAuditQuery } from '@/lib/audit/audit-contracts';
import { fetchJson } from './fetch-json';

export type AuditFilters = Omit<TAuditQuery, 'before'>;

export const auditKeys = {
  all: ['audit'] as const,
  filtered: (filters: AuditFilters) => ['audit', filters] as const,
};

/** Newest first, a page at a time; refreshed while the page is open, as changes happen. */
export function useAuditEvents(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: auditKeys.filtered(filters),
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams(Object.entries({ ...filters, before: pageParam }).flatMap(([key, value]) => (value === undefined || value === '' ? [] : [[key, String(value)]])));
      return fetchJson<AuditPage>(`/api/audit?${query}`);
    },
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    refetchInterval: 10_000,
  });
}
