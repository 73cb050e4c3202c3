import type { Client } from 'azure-kusto-data';
import { targetsOf, type TConnectorDefinition, type TIngestionMode } from '../connectors/connector-definition';
import { detectTargetDrift, type TargetDrift } from './detect-target-drift';
import { readTargetState } from './read-target-state';
import { targetCommandsFor, type TargetCommand } from './target-commands';

export interface TargetVerification {
  /** False when ingestion cannot work until an admin runs `adminCommands`. */
  ready: boolean;
  /** False when the principal may not read the table, so nothing was compared. */
  checked: boolean;
  drift: TargetDrift[];
  /** The exact commands an admin must run, in order, for what is missing or different. */
  adminCommands: TargetCommand[];
  /** Differences ingestion survives (e.g. managed mode without the streaming policy: it falls back to queued). */
  warnings: string[];
}

export const PURPOSE_OF_DRIFT: Record<TargetDrift['what'], TargetCommand['purpose']> = {
  'table schema': 'table',
  mapping: 'mapping',
  'batching policy': 'batching policy',
  'streaming policy': 'streaming policy',
};

/**
 * For principals that may only ingest (ADX's Table Ingestor role): reads the table, mapping and
 * policies without changing anything and says which KQL an admin must run. Only what breaks
 * ingestion blocks it: a missing table or column, a missing or different mapping, and streaming
 * mode without the streaming policy. A different batching policy only changes latency.
 */
export async function verifyTarget(client: Client, definition: TConnectorDefinition): Promise<TargetVerification> {
  if (definition.routes.length === 0) return verifyOneTarget(client, definition);
  // Each routed table is checked as its own single-table connector; the verdicts add up.
  const verdicts = await Promise.all(targetsOf(definition).map((target) => verifyOneTarget(client, { ...definition, target, routes: [] })));
  return {
    ready: verdicts.every((verdict) => verdict.ready),
    checked: verdicts.every((verdict) => verdict.checked),
    drift: verdicts.flatMap((verdict) => verdict.drift),
    adminCommands: verdicts.flatMap((verdict) => verdict.adminCommands),
    warnings: verdicts.flatMap((verdict) => verdict.warnings),
  };
}

async function verifyOneTarget(client: Client, definition: TConnectorDefinition): Promise<TargetVerification> {
  let state;
  try {
    state = await readTargetState(client, definition.target);
  } catch (error) {
    // ADX's ingestor roles cannot read schemas or policies: nothing can be checked, ingestion will tell.
    if ((error as { response?: { status?: number } })?.response?.status !== 403) throw error;
    return {
      ready: true,
      checked: false,
      drift: [],
      adminCommands: [],
      warnings: ['The principal may not read the table (it has no viewer role), so the table, mapping and policies were not checked; a missing one shows as an ingestion error.'],
    };
  }
  const drift = detectTargetDrift(definition, state);
  const commands = targetCommandsFor(definition);
  const adminCommands = commands.filter((command) => drift.some((item) => PURPOSE_OF_DRIFT[item.what] === command.purpose));
  const warnings = drift.flatMap((item) => driftWarning(item, definition.ingestion.mode) ?? []);
  const blocking = drift.filter((item) => driftWarning(item, definition.ingestion.mode) === null);
  return { ready: blocking.length === 0, checked: true, drift, adminCommands, warnings };
}

/**
 * Why ingestion survives a difference, or null when it does not: a different batching policy only
 * changes latency, and only streaming mode needs the streaming policy.
 */
export function driftWarning(item: TargetDrift, mode: TIngestionMode): string | null {
  if (item.what === 'batching policy') return `The table's batching policy differs from the connector's (${item.actual}); queued batches are sealed by the table's.`;
  if (item.what !== 'streaming policy' || mode === 'streaming') return null;
  return mode === 'managed'
    ? 'Streaming ingestion is not enabled on the table: managed mode sends every batch through queued ingestion.'
    : 'Streaming ingestion is enabled on the table; queued mode does not use it.';
}

/** What a person reads when an ingestor-only connection cannot run: what is missing and the KQL to hand to an admin. */
export function describeMissingTarget(definition: TConnectorDefinition, verification: TargetVerification): string {
  const missing = verification.drift
    .filter((item) => verification.adminCommands.some((command) => command.purpose === PURPOSE_OF_DRIFT[item.what]))
    .map((item) => item.what)
    .join(', ');
  const kql = verification.adminCommands.map((command) => command.csl).join('\n');
  const tables = targetsOf(definition)
    .map((target) => `${target.database}.${target.table}`)
    .join(', ');
  return `The connection may only ingest, and ${tables} does not match the connector (${missing}). An admin of the database must run:\n${kql}`;
}
