'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TKafkaConnectionInput } from '@/lib/connections/connection-definitions';
import type { KafkaConnectionView } from '@/lib/connections/save-connections';
import { fetchJson } from './fetch-json';

export type { KafkaConnectionView };

export interface TopicView {
  name: string;
  partitions: number;
  messages: number;
}

export interface SampleMessage {
  partition: number;
  offset: number;
  timestamp: string;
  key: string | null;
  value: string | null;
  valueBase64: string | null;
  headers: Record<string, string>;
}

export type SampleFormat = 'json' | 'csv' | 'unknown';

export interface TopicSample {
  messages: SampleMessage[];
  format: SampleFormat;
}

export const kafkaConnectionKeys = {
  all: ['kafka-connections'] as const,
  topics: (id: string) => ['kafka-connections', id, 'topics'] as const,
  sample: (id: string, topic: string, limit: number) => ['kafka-connections', id, 'topics', topic, 'sample', limit] as const,
};

export function useKafkaConnections() {
  return useQuery({
    queryKey: kafkaConnectionKeys.all,
    queryFn: async () => (await fetchJson<{ connections: KafkaConnectionView[] }>('/api/connections/kafka')).connections,
  });
}

export function useCreateKafkaConnection() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: TKafkaConnectionInput) =>
      (
        await fetchJson<{ connection: KafkaConnectionView }>('/api/connections/kafka', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input),
        })
      ).connection,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: kafkaConnectionKeys.all, exact: true }),
  });
}

export function useKafkaTopics(connectionId: string | null) {
  return useQuery({
    queryKey: kafkaConnectionKeys.topics(connectionId ?? ''),
    queryFn: async () => (await fetchJson<{ topics: TopicView[] }>(`${connectionPath(connectionId!)}/topics`)).topics,
    enabled: connectionId !== null,
  });
}

/** The newest messages of a topic; read without a consumer group, so sampling never moves any offset. */
export function useTopicSample(connectionId: string | null, topic: string | null, limit: number) {
  return useQuery({
    queryKey: kafkaConnectionKeys.sample(connectionId ?? '', topic ?? '', limit),
    queryFn: () => fetchJson<TopicSample>(`${connectionPath(connectionId!)}/topics/${encodeURIComponent(topic!)}/sample?limit=${limit}`),
    enabled: connectionId !== null && topic !== null,
    // A sample is a snapshot the schema is inferred from; it changes only when asked to.
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
}

function connectionPath(id: string): string {
  return `/api/connections/kafka/${encodeURIComponent(id)}`;
}
