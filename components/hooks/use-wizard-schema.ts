'use client';

import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { TColumn } from '@/lib/connectors/connector-definition';
import type { TInferColumnsRequest } from '@/lib/mapping/infer-columns';
import type { TPreviewInput, TPreviewRow, TPreviewValue, TSampleMetadata } from '@/lib/mapping/preview-rows';
import { fetchJson } from './fetch-json';

export type PreviewValue = TPreviewValue;
export type PreviewRow = TPreviewRow;

/** A sample's Kafka coordinates, key and headers, so the preview can show metadata columns. */
export type SampleMetadata = TSampleMetadata;

export const wizardSchemaKeys = {
  preview: (input: TPreviewInput) => ['wizard', 'preview', input] as const,
};

/** Inference is a one-off suggestion the user then edits, so it is a mutation, not cached state. */
export function useInferColumns() {
  return useMutation({
    mutationFn: async (input: TInferColumnsRequest) =>
      (await fetchJson<{ columns: TColumn[] }>('/api/wizard/infer-columns', postJson(input))).columns,
  });
}

/** The sample as it would land in the table, computed by the same mapping code the worker runs. */
export function useMappingPreview(input: TPreviewInput | null) {
  return useQuery({
    queryKey: wizardSchemaKeys.preview(input ?? { samples: [], format: 'json', columns: [] }),
    queryFn: async () => (await fetchJson<{ rows: TPreviewRow[] }>('/api/wizard/preview', postJson(input))).rows,
    enabled: input !== null,
    // Keeps the table on screen while an edited column is being recomputed.
    placeholderData: keepPreviousData,
  });
}

export function postJson(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
