import type { Client } from 'azure-kusto-data';
import type { TConnectorDefinition } from '../connectors/connector-definition';
import { kustoErrorMessage } from '../kusto/kusto-clients';
import { targetCommandsFor } from './target-commands';
import type { AppliedCommand } from './target-view';

export type { AppliedCommand };

export class TargetApplyError extends Error {
  constructor(
    readonly results: AppliedCommand[],
    /** What the SDK threw, so callers can tell a refused sign-in from a target that is down. */
    cause: unknown,
  ) {
    const failed = results.find((result) => !result.ok);
    super(`Applying the ${failed?.purpose} to the target failed: ${failed?.error}`, { cause });
    this.name = 'TargetApplyError';
  }
}

/**
 * Makes the target match a connector revision. Every command is idempotent, so re-running after a
 * partial failure converges; the first failure stops the sequence because later commands depend
 * on earlier ones (the mapping needs the table).
 */
export async function applyTargetCommands(client: Client, definition: TConnectorDefinition): Promise<AppliedCommand[]> {
  const results: AppliedCommand[] = [];
  for (const command of targetCommandsFor(definition)) {
    try {
      await client.executeMgmt(command.database, command.csl);
      results.push({ ...command, ok: true });
    } catch (error) {
      results.push({ ...command, ok: false, error: kustoErrorMessage(error) });
      throw new TargetApplyError(results, error);
    }
  }
  return results;
}
