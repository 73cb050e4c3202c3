'use client';

import { useMutation } from '@tanstack/react-query';
import type { KafkaConnectImport } from '@/lib/import/import-kafka-connect';
import { fetchJson } from './fetch-json';
import { postJson } from './use-wizard-schema';

/** Translates a Kafka Connect Kusto sink configuration; secrets in it are never echoed back. */
export function useImportKafkaConnect() {
  return useMutation({
    mutationFn: (input: { config: string; kafkaConnectionId?: string; kustoConnectionId?: string }) =>
      fetchJson<KafkaConnectImport>('/api/import/kafka-connect', postJson(input)),
  });
}
