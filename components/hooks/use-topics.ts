'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BrowsedMessage, BrowseResult, ConsumerGroupLag, SearchEvent, TBrowseRequest, TopicDetail, TopicListEntry, TSearchRequest } from '@/lib/kafka/topic-browser-contracts';
import { ApiError, fetchJson } from './fetch-json';

export type { BrowsedMessage, BrowseResult, ConsumerGroupLag, TopicDetail, TopicListEntry };

export const topicKeys = {
  list: (connectionId: string) => ['kafka-connections', connectionId, 'topics'] as const,
  detail: (connectionId: string, topic: string) => ['kafka-connections', connectionId, 'topics', topic] as const,
  messages: (connectionId: string, topic: string, query: string) => ['kafka-connections', connectionId, 'topics', topic, 'messages', query] as const,
  groups: (connectionId: string, topic: string) => ['kafka-connections', connectionId, 'topics', topic, 'consumer-groups'] as const,
};

function topicPath(connectionId: string, topic: string): string {
  return `/api/connections/kafka/${encodeURIComponent(connectionId)}/topics/${encodeURIComponent(topic)}`;
}

export function useTopicList(connectionId: string | null) {
  return useQuery({
    queryKey: topicKeys.list(connectionId ?? ''),
    queryFn: async () => (await fetchJson<{ topics: TopicListEntry[] }>(`/api/connections/kafka/${encodeURIComponent(connectionId!)}/topics`)).topics,
    enabled: connectionId !== null,
  });
}

export function useTopicDetail(connectionId: string, topic: string) {
  return useQuery({
    queryKey: topicKeys.detail(connectionId, topic),
    queryFn: async () => (await fetchJson<{ topic: TopicDetail }>(topicPath(connectionId, topic))).topic,
    refetchInterval: 10_000,
  });
}

/** The route's browse request as the page holds it: the topic is in the path, the time still ISO text (the route parses it). */
export type BrowseQuery = Omit<TBrowseRequest, 'topic' | 'timestamp'> & { timestamp?: string };

/** Messages read without a consumer group; fetched when the query changes, never on a timer. */
export function useTopicMessages(connectionId: string, topic: string, query: BrowseQuery) {
  const search = new URLSearchParams({ mode: query.mode, limit: String(query.limit) });
  if (query.partition !== undefined) search.set('partition', String(query.partition));
  if (query.offset !== undefined) search.set('offset', String(query.offset));
  if (query.timestamp !== undefined) search.set('timestamp', query.timestamp);
  const text = search.toString();
  return useQuery({
    queryKey: topicKeys.messages(connectionId, topic, text),
    queryFn: () => fetchJson<BrowseResult>(`${topicPath(connectionId, topic)}/messages?${text}`),
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
}

/** Consumer groups with offsets on the topic and their lag; live every 5 s like kafbat's refresh. */
export function useTopicConsumerGroups(connectionId: string, topic: string) {
  return useQuery({
    queryKey: topicKeys.groups(connectionId, topic),
    queryFn: async () => (await fetchJson<{ groups: ConsumerGroupLag[] }>(`${topicPath(connectionId, topic)}/consumer-groups`)).groups,
    refetchInterval: 5_000,
  });
}

/** What the search panel asks for; the route adds the topic from its path. */
export type SearchParams = Omit<TSearchRequest, 'topic'>;

export interface SearchState {
  running: boolean;
  scanned: number;
  total: number;
  matches: BrowsedMessage[];
  done: boolean;
  truncated: boolean;
  error: string | null;
}

const IDLE: SearchState = { running: false, scanned: 0, total: 0, matches: [], done: false, truncated: false, error: null };

/**
 * A streamed search (NDJSON): progress and matches arrive while the server reads. Not a
 * TanStack query: it is a long-running action with partial results, cancelled by `cancel()` or
 * by leaving the page (the server stops reading when the request is aborted).
 */
export function useTopicSearch(connectionId: string, topic: string) {
  const [state, setState] = useState<SearchState>(IDLE);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => () => abort.current?.abort(), []);

  const cancel = useCallback(() => {
    abort.current?.abort();
    setState((current) => ({ ...current, running: false }));
  }, []);

  const start = useCallback(
    async (params: SearchParams) => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      setState({ ...IDLE, running: true });
      const query = new URLSearchParams({ q: params.q, in: params.in, maxScan: String(params.maxScan) });
      if (params.partition !== undefined) query.set('partition', String(params.partition));
      try {
        const response = await fetch(`${topicPath(connectionId, topic)}/search?${query}`, { signal: controller.signal, headers: { accept: 'application/x-ndjson' } });
        if (!response.ok || !response.body) {
          const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
          throw new ApiError(response.status, 'INTERNAL', body?.error?.message ?? `The search failed (${response.status})`);
        }
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          for (const line of lines.filter(Boolean)) {
            const event = JSON.parse(line) as SearchEvent;
            setState((current) => {
              if (event.type === 'progress') return { ...current, scanned: event.scanned, total: event.total, matches: [...current.matches, ...event.matches] };
              if (event.type === 'done') return { ...current, running: false, done: true, scanned: event.scanned, total: event.total, truncated: event.truncated };
              return { ...current, running: false, error: event.message };
            });
          }
        }
        setState((current) => ({ ...current, running: false }));
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((current) => ({ ...current, running: false, error: (error as Error).message }));
      }
    },
    [connectionId, topic],
  );

  return { state, start, cancel };
}
