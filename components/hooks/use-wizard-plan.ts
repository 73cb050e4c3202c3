'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConnectorDetailView } from '@/lib/connectors/connector-views';
import type { TConnectorDefinition, TConnectorDefinitionInput } from '@/lib/connectors/connector-definition';
import type { TargetVerification } from '@/lib/kql/verify-target';
import { connectorKeys } from './connector-keys';
import { ApiError, fetchJson } from './fetch-json';
import { postJson } from './use-wizard-schema';

export interface PlannedCommand {
  purpose: string;
  csl: string;
}

export interface CommandResult extends PlannedCommand {
  ok: boolean;
  error?: string;
}

export const wizardPlanKeys = {
  plan: (definition: TConnectorDefinitionInput) => ['wizard', 'plan', definition] as const,
};

/** The normalised definition and the exact KQL that Create will run. */
export function usePlan(definition: TConnectorDefinitionInput) {
  return useQuery({
    queryKey: wizardPlanKeys.plan(definition),
    queryFn: () => fetchJson<{ definition: TConnectorDefinition; commands: PlannedCommand[] }>('/api/wizard/plan', postJson({ definition })),
  });
}

/**
 * Runs the target's commands in order. A failed command still answers with every result so far
 * (502), and those results are what the user needs to see, so they are kept rather than thrown away.
 */
export function useApplyTarget() {
  return useMutation({
    mutationFn: async (definition: TConnectorDefinition): Promise<{ results: CommandResult[]; failed: boolean }> => {
      let response: Response;
      try {
        response = await fetch('/api/wizard/apply-target', postJson({ definition }));
      } catch (error) {
        throw new ApiError(0, 'NETWORK', `Cannot reach the Kastor API: ${error instanceof Error ? error.message : String(error)}`);
      }
      const body = (await response.json().catch(() => null)) as { results?: CommandResult[]; error?: { code?: string; message?: string } } | null;
      if (body?.results) return { results: body.results, failed: !response.ok };
      throw new ApiError(response.status, 'INTERNAL', body?.error?.message ?? `The API answered ${response.status}`);
    },
  });
}

/** Creates the connector, or saves a new revision of an existing one. */
export function useSaveConnector(existing: { id: string; revision: number } | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (definition: TConnectorDefinition) => {
      const { connector } = existing
        ? await fetchJson<{ connector: ConnectorDetailView }>(`/api/connectors/${encodeURIComponent(existing.id)}`, {
            ...postJson({ definition, expectedRevision: existing.revision }),
            method: 'PUT',
          })
        : await fetchJson<{ connector: ConnectorDetailView }>('/api/connectors', postJson(definition));
      return connector;
    },
    onSuccess: async (connector) => {
      queryClient.setQueryData(connectorKeys.detail(connector.id), connector);
      await queryClient.invalidateQueries({ queryKey: connectorKeys.all, exact: true });
    },
  });
}

/** Ingestor-only connections: what the target lacks and the KQL to hand to an admin; nothing is changed. */
export function useVerifyTarget() {
  return useMutation({
    mutationFn: (definition: TConnectorDefinition) => fetchJson<TargetVerification>('/api/wizard/verify-target', postJson({ definition })),
  });
}
