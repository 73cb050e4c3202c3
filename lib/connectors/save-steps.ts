import { z } from 'zod';
import type { ValueChange } from '../config/config-document';
import type { TargetCommand } from '../kql/target-commands';
import type { TConnectorDefinition } from './connector-definition';
import type { ConnectorDetailView } from './connector-views';

/** What POST /api/wizard/plan answers: the definition as it will be saved, the KQL Create runs and, for an edit, what changes. */
export interface ConnectorPlanView {
  definition: TConnectorDefinition;
  commands: TargetCommand[];
  /** Leaf by leaf against the revision being edited; null for a new connector. */
  changes: ValueChange[] | null;
}

/** The plan request: the draft and, for an edit, the connector and the revision it was opened at. */
export const ZPlanRequest = z.object({
  definition: z.unknown(),
  editing: z.object({ connectorId: z.string(), revision: z.number().int().positive() }).optional(),
});

/**
 * One thing that creating a connector (or saving a revision) did on the server, in order:
 * plan the KQL, apply it (or, for an ingestor-only connection, verify the target), save.
 */
export const ZSaveStep = z.object({
  step: z.enum(['plan', 'apply', 'verify', 'save']),
  /** `table`, `mapping`, … for a command; what was planned or saved otherwise. */
  purpose: z.string(),
  /** The command run (apply); for verify, only a command the target lacks, which an admin must run. */
  csl: z.string().optional(),
  /** The database a command runs in. */
  database: z.string().optional(),
  status: z.enum(['done', 'failed', 'skipped']),
  /** The target's (or the store's) message when the step failed. */
  error: z.string().optional(),
  /** A difference ingestion survives, or why nothing could be checked. */
  warning: z.string().optional(),
});
export type TSaveStep = z.infer<typeof ZSaveStep>;

export const ZSaveSteps = z.array(ZSaveStep);

/** What POST /api/connectors and PUT /api/connectors/{id} answer: the connector and every step. */
export interface SaveConnectorResult {
  connector: ConnectorDetailView;
  steps: TSaveStep[];
}

/**
 * Whether an ingestor-only connection's connector is saved when its target lacks the table,
 * mapping or policies (`save`: it starts once an admin has run the KQL) or refused (`refuse`).
 * A query parameter of both requests, `?ifTargetNotReady=save`.
 */
export const ZIfTargetNotReady = z.enum(['refuse', 'save']).default('refuse');
export type TIfTargetNotReady = z.infer<typeof ZIfTargetNotReady>;

/** The query string of the create and save-revision requests. */
export const ZSaveQuery = z.object({ ifTargetNotReady: ZIfTargetNotReady });

/** The KQL an admin must run for an ingestor-only connection: the verified commands the target lacks. */
export function adminCommandsOf(steps: TSaveStep[]): string[] {
  return steps.flatMap((step) => (step.step === 'verify' && step.csl !== undefined ? [step.csl] : []));
}
