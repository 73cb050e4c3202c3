'use client';

import { useQuery } from '@tanstack/react-query';
import type { TColumn } from '@/lib/connectors/connector-definition';
import { fetchJson } from './fetch-json';
import { postJson } from './use-wizard-schema';

export interface TargetCheck {
  exists: boolean;
  existingColumns: { name: string; type: string }[];
  mappings: { name: string; kind: string }[];
  additions: { name: string; type: string }[];
  conflicts: { column: string; existingType: string; wantedType: string; message: string }[];
  mergeCommand: string | null;
}

export interface TargetCheckInput {
  kustoConnectionId: string;
  database: string;
  table: string;
  columns: TColumn[];
}

export const wizardTargetKeys = {
  check: (input: TargetCheckInput) => ['wizard', 'target', input] as const,
};

/** Reads the table from the target and compares it with the wanted columns. */
export function useTargetCheck(input: TargetCheckInput | null) {
  return useQuery({
    queryKey: wizardTargetKeys.check(input ?? { kustoConnectionId: '', database: '', table: '', columns: [] }),
    queryFn: () => fetchJson<TargetCheck>('/api/wizard/check-target', postJson(input)),
    enabled: input !== null,
  });
}
