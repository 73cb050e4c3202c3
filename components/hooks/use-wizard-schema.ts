'use client';

import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { TColumn } from '@/lib/connectors/connector-definition';
import { fetchJson } from './fetch-json';

export type PreviewValue = string | number | boolean | null | object;

export interface PreviewRow {
  values: PreviewValue[];
  nulls: { column: string; reason: string }[];
}

interface SchemaInput {
  samples: string[];
  format: 'json' | 'csv';
}

export const wizardSchemaKeys = {
  preview: (input: SchemaInput & { columns: TColumn[] }) => ['wizard', 'preview', input] as const,
};

/** Inference is a one-off suggestion the user then edits, so it is a mutation, not cached state. */
export function useInferColumns() {
  return useMutation({
    mutationFn: async (input: SchemaInput & { nestedDepth: number }) =>
      (await fetchJson<{ columns: TColumn[] }>('/api/wizard/infer-columns', postJson(input))).columns,
  });
}

/** The sample as it would land in the table, computed by the same mapping code the worker runs. */
export function useMappingPreview(input: (SchemaInput & { columns: TColumn[] }) | null) {
  return useQuery({
    queryKey: wizardSchemaKeys.preview(input ?? { samples: [], format: 'json', columns: [] }),
    queryFn: async () => (await fetchJson<{ rows: PreviewRow[] }>('/api/wizard/preview', postJson(input))).rows,
    enabled: input !== null,
    // Keeps the table on screen while an edited column is being recomputed.
    placeholderData: keepPreviousData,
  });
}

export function postJson(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
