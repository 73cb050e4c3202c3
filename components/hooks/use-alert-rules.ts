'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlertDeliveryView, AlertRuleView, TAlertRuleInput } from '@/lib/alerts/alert-rule-definition';
import { fetchJson, MUTATION_TIMEOUT_MS } from './fetch-json';

export const alertRuleKeys = {
  all: ['alert-rules'] as const,
  deliveries: (id: string) => ['alert-rules', id, 'deliveries'] as const,
};

/** Rules with the connectors they fire for; refreshed so a firing rule shows without a reload. */
export function useAlertRules() {
  return useQuery({
    queryKey: alertRuleKeys.all,
    queryFn: async () => (await fetchJson<{ rules: AlertRuleView[] }>('/api/alerts/rules')).rules,
    refetchInterval: 5_000,
  });
}

/** A rule's delivery log: every attempt, newest first; live while retries may be under way. */
export function useAlertDeliveries(id: string, enabled: boolean) {
  return useQuery({
    queryKey: alertRuleKeys.deliveries(id),
    queryFn: async () => (await fetchJson<{ deliveries: AlertDeliveryView[] }>(`${rulePath(id)}/deliveries`)).deliveries,
    enabled,
    refetchInterval: 3_000,
  });
}

export function useCreateAlertRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: TAlertRuleInput) => (await fetchJson<{ rule: AlertRuleView }>('/api/alerts/rules', jsonInit('POST', input))).rule,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertRuleKeys.all, exact: true }),
  });
}

/** A blank webhook keeps the stored one. */
export function useUpdateAlertRule(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: TAlertRuleInput) => (await fetchJson<{ rule: AlertRuleView }>(rulePath(id), jsonInit('PUT', input))).rule,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertRuleKeys.all, exact: true }),
  });
}

export function useDeleteAlertRule(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => fetchJson<null>(rulePath(id), { method: 'DELETE', signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS) }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: alertRuleKeys.deliveries(id) });
      return queryClient.invalidateQueries({ queryKey: alertRuleKeys.all, exact: true });
    },
  });
}

/** Sends a TEST notification now; the answer is the logged attempt. */
export function useSendTestAlert(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => (await fetchJson<{ delivery: AlertDeliveryView }>(`${rulePath(id)}/test`, jsonInit('POST', {}))).delivery,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertRuleKeys.deliveries(id), exact: true }),
  });
}

function jsonInit(method: string, body: unknown): RequestInit {
  return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS) };
}

function rulePath(id: string): string {
  return `/api/alerts/rules/${encodeURIComponent(id)}`;
}
