'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TConnectorDefinition, TConnectorDefinitionInput } from '@/lib/connectors/connector-definition';
import { ZSaveSteps, type ConnectorPlanView, type SaveConnectorResult, type TIfTargetNotReady, type TSaveStep } from '@/lib/connectors/save-steps';
import { connectorKeys } from './connector-keys';
import { ApiError, fetchJson } from './fetch-json';
import { postJson } from './use-wizard-schema';

type Editing = { id: string; revision: number } | null;

export const wizardPlanKeys = {
  plan: (definition: TConnectorDefinitionInput, editing: Editing) => ['wizard', 'plan', definition, editing] as const,
};

/** The normalised definition, the exact KQL that Create will run and, for an edit, what changes against the revision opened. */
export function usePlan(definition: TConnectorDefinitionInput, editing: Editing) {
  return useQuery({
    queryKey: wizardPlanKeys.plan(definition, editing),
    queryFn: () =>
      fetchJson<ConnectorPlanView>('/api/wizard/plan', postJson({ definition, ...(editing ? { editing: { connectorId: editing.id, revision: editing.revision } } : {}) })),
  });
}

/**
 * Creates the connector, or saves a new revision of an existing one, in one request: the server
 * applies (or verifies) the target's KQL and saves, and answers every step.
 */
export function useSaveConnector(existing: Editing) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ definition, ifTargetNotReady }: { definition: TConnectorDefinition; ifTargetNotReady: TIfTargetNotReady }) => {
      const query = ifTargetNotReady === 'save' ? '?ifTargetNotReady=save' : '';
      return existing
        ? fetchJson<SaveConnectorResult>(`/api/connectors/${encodeURIComponent(existing.id)}${query}`, {
            ...postJson({ definition, expectedRevision: existing.revision }),
            method: 'PUT',
          })
        : fetchJson<SaveConnectorResult>(`/api/connectors${query}`, postJson(definition));
    },
    onSuccess: async ({ connector }) => {
      // The new revision changes the target panel, the history and the rest of the page.
      await queryClient.invalidateQueries({ queryKey: connectorKeys.detail(connector.id) });
      queryClient.setQueryData(connectorKeys.detail(connector.id), connector);
      await queryClient.invalidateQueries({ queryKey: connectorKeys.all, exact: true });
    },
  });
}

/** The steps a failed create or save ran before it stopped, as its error answer carries them. */
export function stepsOfError(error: unknown): TSaveStep[] {
  if (!(error instanceof ApiError)) return [];
  const steps = ZSaveSteps.safeParse(error.payload.steps);
  return steps.success ? steps.data : [];
}
