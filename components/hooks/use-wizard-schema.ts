'use client';

import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { TColumn, TCsvOptions } from '@/lib/connectors/connector-definition';
import type { TSampleMetadata } from '@/lib/mapping/preview-rows';
import { fetchJson } from './fetch-json';

export type PreviewValue = string | number | boolean | null | object;

export interface PreviewRow {
  values: PreviewValue[];
  nulls: { column: string; reason: string }[];
}

interface SchemaInput {
  samples: string[];
  format: 'json' | 'csv';
  csv?: TCsvOptions;
}

/** A sample's Kafka coordinates, key and headers, so the preview can show metadata columns. */
export type SampleMetadata = TSampleMetadata;

export const wizardSchemaKeys = {
  preview: (input: SchemaInput & { columns: TColumn[] }) => ['wizard', 'preview', input] as const,
};

/** Inference is a one-off suggestion the user then edits, so it is a mutation, not cached state. */
export function useInferColumns() {
  return useMutation({
    mutationFn: async (input: Omit<SchemaInput, 'format'> & { format: 'json' | 'csv' | 'avro'; avroSchema?: string; nestedDepth: number }) =>
      (await fetchJson<{ columns: TColumn[] }>('/api/wizard/infer-columns', postJson(input))).columns,
  });
}

/** The sample as it would land in the table, computed by the same mapping code the worker runs. */
export function useMappingPreview(input: (SchemaInput & { columns: TColumn[]; metadata?: SampleMetadata[] }) | null) {
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
