'use client';

import { useQuery } from '@tanstack/react-query';
import type { TCheckTargetInput, TargetCompatibility } from '@/lib/kql/target-compatibility';
import { fetchJson } from './fetch-json';
import { postJson } from './use-wizard-schema';

export type TargetCheck = TargetCompatibility;

export const wizardTargetKeys = {
  check: (input: TCheckTargetInput) => ['wizard', 'target', input] as const,
};

/** Reads the table from the target and compares it with the wanted columns. */
export function useTargetCheck(input: TCheckTargetInput | null) {
  return useQuery({
    queryKey: wizardTargetKeys.check(input ?? { kustoConnectionId: '', database: '', table: '', columns: [] }),
    queryFn: () => fetchJson<TargetCompatibility>('/api/wizard/check-target', postJson(input)),
    enabled: input !== null,
  });
}
