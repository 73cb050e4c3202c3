'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { KafkaConnectionView, TKafkaConnectionInput, TKafkaConnectionTest } from '@/lib/connections/connection-definitions';
import type { TopicListEntry } from '@/lib/kafka/topic-browser-contracts';
import type { WizardSample, WizardSampleMessage } from '@/lib/kafka/wizard-sample';
import { fetchJson, MUTATION_TIMEOUT_MS } from './fetch-json';

export type { KafkaConnectionView, TKafkaConnectionTest };

export type TopicView = TopicListEntry;
export type SampleMessage = WizardSampleMessage;
export type TopicSample = WizardSample;

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
      (await fetchJson<{ connection: KafkaConnectionView }>('/api/connections/kafka', jsonInit('POST', input))).connection,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: kafkaConnectionKeys.all, exact: true }),
  });
}

/** Saves new settings; a blank password keeps the stored one. The topics may differ afterwards. */
export function useUpdateKafkaConnection(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: TKafkaConnectionInput) =>
      (await fetchJson<{ connection: KafkaConnectionView }>(connectionPath(id), jsonInit('PUT', input))).connection,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: kafkaConnectionKeys.all }),
  });
}

/** Refused with a 409 naming the connectors while any use the connection. */
export function useDeleteKafkaConnection(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => fetchJson<null>(connectionPath(id), { method: 'DELETE', signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS) }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: kafkaConnectionKeys.topics(id) });
      return queryClient.invalidateQueries({ queryKey: kafkaConnectionKeys.all, exact: true });
    },
  });
}

/** Lists the brokers' topics with a deadline: a saved connection by id, or a form's unsaved settings. */
export function useTestKafkaConnection() {
  return useMutation({
    mutationFn: async (request: { id: string } | { connection: TKafkaConnectionInput; connectionId?: string }) =>
      (
        await fetchJson<{ test: TKafkaConnectionTest }>(
          'id' in request ? `${connectionPath(request.id)}/test` : '/api/connections/kafka/test',
          jsonInit('POST', 'id' in request ? {} : request),
        )
      ).test,
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

function jsonInit(method: string, body: unknown): RequestInit {
  return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS) };
}

function connectionPath(id: string): string {
  return `/api/connections/kafka/${encodeURIComponent(id)}`;
}
