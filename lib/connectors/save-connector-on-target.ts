import 'server-only';
import type { TActorInput } from '../auth/principal';
import type { OutboundPolicy } from '../connections/outbound-policy';
import { openKustoConnection } from '../connections/open-connections';
import { findKustoConnection } from '../connections/read-connections';
import type { Db } from '../db/prisma';
import { AppError, ErrorCode } from '../errors';
import { applyTargetCommands, TargetApplyError, type AppliedCommand } from '../kql/apply-target-commands';
import { targetCommandsFor } from '../kql/target-commands';
import { describeMissingTarget, driftWarning, PURPOSE_OF_DRIFT, verifyTarget, type TargetVerification } from '../kql/verify-target';
import { describeKustoAuthError } from '../kusto/kusto-auth-error';
import { kustoErrorMessage } from '../kusto/kusto-clients';
import type { TConnectorDefinition } from './connector-definition';
import type { ConnectorDetailView } from './connector-views';
import { checkConnectorSave, createConnector, updateConnector, type SaveOptions } from './save-connector';
import type { SaveConnectorResult, TIfTargetNotReady, TSaveStep } from './save-steps';

export interface SaveOnTargetOptions {
  secretKey: string;
  /** The web's outbound policy; the Kusto endpoints are checked against it before any request. */
  outbound?: OutboundPolicy;
  ifTargetNotReady?: TIfTargetNotReady;
}

/**
 * Creates a connector as one verb: plans its KQL, makes the target ready (applies the commands,
 * or for an ingestor-only connection checks that an admin did), then saves it with the revision
 * recorded as applied, so no worker runs the KQL again. A refused command leaves no connector;
 * every error carries the steps run so far.
 */
export function createConnectorOnTarget(db: Db, input: unknown, actor: TActorInput, options: SaveOnTargetOptions): Promise<SaveConnectorResult> {
  return saveOnTarget(db, options, () => checkConnectorSave(db, input), (definition, saveOptions) => createConnector(db, definition, actor, saveOptions));
}

/** Saves a new revision the same way; `expectedRevision` is checked before the target is touched and again when saving. */
export function saveRevisionOnTarget(
  db: Db,
  id: string,
  input: unknown,
  actor: TActorInput,
  expectedRevision: number | undefined,
  options: SaveOnTargetOptions,
): Promise<SaveConnectorResult> {
  return saveOnTarget(
    db,
    options,
    () => checkConnectorSave(db, input, { id, expectedRevision }),
    (definition, saveOptions) => updateConnector(db, id, definition, actor, expectedRevision, saveOptions),
  );
}

async function saveOnTarget(
  db: Db,
  options: SaveOnTargetOptions,
  check: () => Promise<TConnectorDefinition>,
  save: (definition: TConnectorDefinition, saveOptions: SaveOptions) => Promise<ConnectorDetailView>,
): Promise<SaveConnectorResult> {
  const steps: TSaveStep[] = [];
  try {
    const definition = await runStep(steps, { step: 'plan', purpose: 'the definition and its KQL' }, check);
    const target = await prepareTarget(db, definition, options, steps);
    const connector = await runStep(steps, { step: 'save', purpose: `connector ${definition.name}` }, () => save(definition, target === null ? {} : { target }));
    return { connector, steps };
  } catch (error) {
    // An unexpected error stays a 500 that leaks nothing, steps included.
    if (error instanceof AppError) throw new AppError(error.code, error.message, error.issues, { ...error.payload, steps });
    throw error;
  }
}

async function runStep<T>(steps: TSaveStep[], entry: Pick<TSaveStep, 'step' | 'purpose'>, work: () => Promise<T>): Promise<T> {
  try {
    const value = await work();
    steps.push({ ...entry, status: 'done' });
    return value;
  } catch (error) {
    steps.push({ ...entry, status: 'failed', error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/** Applies or verifies the target, adding a step per command; what the save records, or null when the target is not ready. */
async function prepareTarget(db: Db, definition: TConnectorDefinition, options: SaveOnTargetOptions, steps: TSaveStep[]): Promise<SaveOptions['target'] | null> {
  const connection = await findKustoConnection(db, definition.kustoConnectionId);
  const kusto = await openKustoConnection(db, definition.kustoConnectionId, options.secretKey, options.outbound);
  try {
    if (connection.principalRole !== 'INGESTOR') {
      let results: AppliedCommand[];
      try {
        results = await applyTargetCommands(kusto.query, definition);
      } catch (error) {
        if (!(error instanceof TargetApplyError)) throw error;
        steps.push(...applySteps(definition, error.results));
        throw new AppError(ErrorCode.TARGET_ERROR, describeKustoAuthError(error.cause, connection) ?? error.message, [], { steps });
      }
      steps.push(...applySteps(definition, results));
      return 'applied';
    }
    let verification: TargetVerification;
    try {
      verification = await verifyTarget(kusto.query, definition);
    } catch (error) {
      steps.push({ step: 'verify', purpose: 'the target', status: 'failed', error: kustoErrorMessage(error) });
      throw new AppError(ErrorCode.TARGET_ERROR, describeKustoAuthError(error, connection) ?? `The target could not be read: ${kustoErrorMessage(error)}`, [], { steps });
    }
    steps.push(...verifySteps(definition, verification));
    if (verification.ready) return 'verified';
    if (options.ifTargetNotReady === 'save') return null;
    throw new AppError(ErrorCode.TARGET_NOT_READY, describeMissingTarget(definition, verification), [], { steps });
  } finally {
    kusto.close();
  }
}

/** A step per planned command: done or failed as the target answered, skipped after the first failure. */
function applySteps(definition: TConnectorDefinition, results: AppliedCommand[]): TSaveStep[] {
  return targetCommandsFor(definition).map((command, index) => {
    const result = results[index];
    const base = { step: 'apply' as const, purpose: command.purpose, csl: command.csl, database: command.database };
    if (!result) return { ...base, status: 'skipped' };
    return result.ok ? { ...base, status: 'done' } : { ...base, status: 'failed', error: result.error };
  });
}

/**
 * A step per planned command: done when the target has it; else failed with the KQL for an admin,
 * or done with a warning when ingestion survives the difference.
 */
function verifySteps(definition: TConnectorDefinition, verification: TargetVerification): TSaveStep[] {
  if (!verification.checked) return verification.warnings.map((warning) => ({ step: 'verify', purpose: 'the target', status: 'skipped', warning }));
  return targetCommandsFor(definition).map((command): TSaveStep => {
    const base = { step: 'verify' as const, purpose: command.purpose, database: command.database };
    const drift = verification.adminCommands.some((missing) => missing.csl === command.csl)
      ? verification.drift.find((item) => PURPOSE_OF_DRIFT[item.what] === command.purpose)
      : undefined;
    if (!drift) return { ...base, status: 'done' };
    const warning = driftWarning(drift, definition.ingestion.mode);
    if (warning !== null) return { ...base, csl: command.csl, status: 'done', warning };
    return { ...base, csl: command.csl, status: 'failed', error: `the target has ${drift.actual}; the connector needs ${drift.expected}` };
  });
}
