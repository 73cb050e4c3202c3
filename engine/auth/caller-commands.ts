import type { TResultTable } from '../protocol/result-table';
import { tokenizeCommand } from '../mgmt/tokenize-command';
import { authorize, commandAccess } from './authorize';
import { requestContext, type TDatabaseRole, type TRequestContext } from './engine-access';

const ROLE_NAMES: Record<TDatabaseRole, string> = { admin: 'Admin', ingestor: 'Ingestor', viewer: 'Viewer' };

/**
 * Runs a management command as the request's caller: refused with 403 unless the caller's role
 * allows it, and recorded for `.show commands` either way. Outside a request (an engine used
 * in-process) it just runs.
 */
export async function runAsCaller<T>(requestDatabase: string, text: string, run: () => Promise<T>): Promise<T> {
  const context = requestContext.getStore();
  if (!context) return run();
  const access = commandAccess(text);
  const database = access.database ?? requestDatabase;
  const startedOn = new Date();
  const record = (state: 'Completed' | 'Failed', failureReason: string) =>
    context.access.commandLog.add({
      clientActivityId: context.ids.clientRequestId,
      rootActivityId: context.ids.activityId,
      commandType: access.commandType,
      text,
      database,
      startedOn,
      lastUpdatedOn: new Date(),
      state,
      failureReason,
      application: context.application,
      principal: context.principal.fqn,
      user: context.principal.displayName,
    });
  try {
    authorize(context.principal, access.permission, database, `${access.commandType}Command`);
    const result = await run();
    record('Completed', '');
    return result;
  } catch (error) {
    record('Failed', (error as Error)?.message ?? String(error));
    throw error;
  }
}

function principalsTable(context: TRequestContext, database: string): TResultTable {
  return {
    columns: ['Role', 'PrincipalType', 'PrincipalDisplayName', 'PrincipalObjectId', 'PrincipalFQN', 'Notes'].map((name) => ({ name, type: 'string' as const })),
    rows: context.access.principals.flatMap((principal) =>
      [...principal.roles].map((role) => [`Database ${database} ${ROLE_NAMES[role]}`, principal.type, principal.displayName, principal.objectId, principal.fqn, '']),
    ),
  };
}

/**
 * `.show commands` and `.show database D principals` (already authorized by runAsCaller), or
 * undefined for every other command.
 */
export function callerCommand(requestDatabase: string, text: string): TResultTable | undefined {
  const context = requestContext.getStore();
  if (!context) return undefined;
  let tokens;
  try {
    tokens = tokenizeCommand(text);
  } catch {
    return undefined;
  }
  const shape = tokens.map((token) => (token.kind === 'word' ? token.value.toLowerCase() : token.kind));
  if (shape[0] !== 'command' || tokens[0].value.toLowerCase() !== '.show') return undefined;
  if (shape.length === 2 && shape[1] === 'commands') {
    return context.access.commandLog.show(context.principal.roles.has('admin') ? undefined : context.principal.fqn);
  }
  if (shape.length === 4 && shape[1] === 'database' && shape[3] === 'principals') {
    return principalsTable(context, tokens[2].value || requestDatabase);
  }
  return undefined;
}
