import { callerCommand, runAsCaller } from '../auth/caller-commands';
import type { DataManagement } from '../dm/data-management';
import { showIngestionFailures } from '../dm/ingestion-failures';
import { KustoError } from '../protocol/kusto-error';
import type { TResultTable } from '../protocol/result-table';
import type { TStore } from '../storage/open-store';
import { databasePolicyCommand } from './database-policies';
import { createMapping, dropMapping, showMappings } from './mapping-commands';
import { parseCommand } from './parse-command';
import { pipeCommandResult, splitCommandPipe } from './pipe-command-result';
import { alterPolicy, deletePolicy, showPolicy } from './policy-commands';
import { clearCache, showDatabases, showVersion } from './service-commands';
import { createOrMergeTable, dropTableCommand, dropTablesCommand, showTable, showTables } from './table-commands';

/** Roles beside the engine's own that some commands need. */
export interface TCommandServices {
  /** Present when the engine also plays ADX's Data Management (queued ingestion) role. */
  dataManagement?: DataManagement;
}

function requireDataManagement(services: TCommandServices): DataManagement {
  if (!services.dataManagement) {
    throw new KustoError('badRequest', 'This command is served by the Data Management (ingest-) endpoint; start the local Kusto engine with --storage <connection string> to enable it');
  }
  return services.dataManagement;
}

/** Runs one management command against `database` (or the database the command names); `.show … | query` pipes its result. */
export async function executeCommand(store: TStore, requestDatabase: string, text: string, services: TCommandServices = {}): Promise<TResultTable> {
  return runAsCaller(requestDatabase, text, async () => {
    const piped = splitCommandPipe(text);
    if (piped) return pipeCommandResult(await runCommand(store, requestDatabase, piped.command, services), requestDatabase, piped.pipe);
    return runCommand(store, requestDatabase, text, services);
  });
}

async function runCommand(store: TStore, requestDatabase: string, text: string, services: TCommandServices): Promise<TResultTable> {
  // `.show commands` and `.show database D principals` answer from the request's caller.
  const callerResult = callerCommand(requestDatabase, text);
  if (callerResult) return callerResult;
  const command = parseCommand(text);
  const database = ('table' in command ? command.table.database : undefined) ?? requestDatabase;
  switch (command.kind) {
    case 'createTable':
      return createOrMergeTable(store, database, command);
    case 'dropTable':
      return dropTableCommand(store, database, command);
    case 'showTables':
      return showTables(store, database);
    case 'showTable':
      return showTable(store, database, command.table.name, command.view);
    case 'createMapping':
      return createMapping(store, database, command);
    case 'dropMapping':
      return dropMapping(store, database, command);
    case 'showMappings':
      return showMappings(store, database, command);
    case 'alterPolicy':
      return alterPolicy(store, database, command);
    case 'deletePolicy':
      return deletePolicy(store, database, command);
    case 'showPolicy':
      return showPolicy(store, database, command);
    case 'dropTables':
      return dropTablesCommand(store, database, command);
    case 'databasePolicy':
      return databasePolicyCommand(store, command);
    case 'showDatabases':
      return showDatabases(store, requestDatabase);
    case 'showVersion':
      return showVersion();
    case 'showIngestionFailures':
      return showIngestionFailures(store, command.operationId);
    case 'getIngestionResources':
      return requireDataManagement(services).ingestionResources();
    case 'getIdentityToken':
      return requireDataManagement(services).identityToken();
    case 'clearCache':
      return clearCache();
  }
}
