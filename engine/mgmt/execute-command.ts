import { callerCommand, runAsCaller } from '../auth/caller-commands';
import type { TResultTable } from '../protocol/result-table';
import type { TStore } from '../storage/open-store';
import { createMapping, dropMapping, showMappings } from './mapping-commands';
import { parseCommand } from './parse-command';
import { alterPolicy, deletePolicy, showPolicy } from './policy-commands';
import { createOrMergeTable, dropTableCommand, showTable, showTables } from './table-commands';

/** Runs one management command against `database` (or the database the command names). */
export async function executeCommand(store: TStore, requestDatabase: string, text: string): Promise<TResultTable> {
  return runAsCaller(requestDatabase, text, () => runCommand(store, requestDatabase, text));
}

async function runCommand(store: TStore, requestDatabase: string, text: string): Promise<TResultTable> {
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
  }
}
