import { tokenizeCommand, type TToken } from '../mgmt/tokenize-command';
import { EngineAccessError, type TDatabaseRole, type TPrincipal } from './engine-access';

/** What a request needs (role-based-access-control.md): any role at all, read, ingest, or admin. */
export type TPermission = 'any' | 'read' | 'ingest' | 'admin';

const GRANTS: Record<TPermission, readonly TDatabaseRole[]> = {
  any: ['admin', 'ingestor', 'viewer'],
  // "Database ingestor: ingest data to all tables in the database without access to query the data."
  read: ['admin', 'viewer'],
  ingest: ['admin', 'ingestor'],
  admin: ['admin'],
};

export interface TCommandAccess {
  /** ADX's command type (`.show commands` CommandType), e.g. TableCreate, VersionShow. */
  commandType: string;
  permission: TPermission;
  /** The database the command names, if it names one (`.show database D principals`). */
  database?: string;
}

const VERBS: Record<string, string> = {
  '.create': 'Create',
  '.create-merge': 'CreateMerge',
  '.create-or-alter': 'CreateOrAlter',
  '.alter': 'Alter',
  '.alter-merge': 'AlterMerge',
  '.drop': 'Drop',
  '.delete': 'Delete',
  '.set': 'Set',
  '.append': 'Append',
  '.set-or-append': 'SetOrAppend',
  '.set-or-replace': 'SetOrReplace',
  '.ingest': 'Ingest',
  '.clear': 'Clear',
  '.show': 'Show',
  '.get': 'Get',
};

const pascal = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

function words(tokens: TToken[]): string[] {
  return tokens.filter((token) => token.kind === 'word').map((token) => token.value.toLowerCase());
}

/**
 * The permission and ADX command type of a management command, from its leading words: `.show`
 * reads, `.get ingestion resources` and `.get kusto identity token` are the ingestor's, cluster
 * facts need any role, and every other verb changes the database and needs admin.
 */
export function commandAccess(text: string): TCommandAccess {
  let tokens: TToken[];
  try {
    tokens = tokenizeCommand(text);
  } catch {
    return { commandType: 'Unknown', permission: 'admin' };
  }
  const verbToken = tokens[0]?.kind === 'command' ? tokens[0].value.toLowerCase() : '';
  const verb = VERBS[verbToken] ?? pascal(verbToken.replace(/^\./, ''));
  const rest = words(tokens.slice(1));
  const [first = '', second = '', third = ''] = rest;
  if (verbToken === '.get') {
    const entity = first === 'ingestion' ? 'IngestionResources' : 'KustoIdentityToken';
    return { commandType: `${entity}Get`, permission: 'ingest' };
  }
  let entity = pascal(first);
  let database: string | undefined;
  if (first === 'table' && rest.includes('mapping')) entity = 'TableIngestionMapping';
  else if (first === 'table' && rest.includes('policy')) entity = 'TablePolicy';
  else if (first === 'table' && rest.includes('mappings')) entity = 'TableIngestionMappings';
  else if (first === 'database') {
    const named = tokens.find((token, index) => index > 1 && (token.kind === 'word' || token.kind === 'name'));
    database = named?.value;
    entity = third === 'principals' ? 'DatabasePrincipals' : rest.includes('policy') ? 'DatabasePolicy' : 'Database';
  } else if (first === 'ingestion' && second === 'failures') entity = 'IngestionFailures';
  const commandType = `${entity}${verb}`;
  if (verbToken !== '.show') return { commandType, permission: 'admin', database };
  // Facts about the cluster and the caller's own commands: any principal with a role.
  if (['version', 'databases', 'commands'].includes(first)) return { commandType, permission: 'any', database };
  return { commandType, permission: 'read', database };
}

/** Throws ADX's 403 unless `principal` holds a role that grants `permission`; `database` is unknown for a query. */
export function authorize(principal: TPrincipal, permission: TPermission, database: string | undefined, operation: string): void {
  if (GRANTS[permission].some((role) => principal.roles.has(role))) return;
  const on = database === undefined ? "this cluster's databases" : `database '${database}'`;
  if (principal.roles.size === 0 || permission === 'read') {
    throw new EngineAccessError(403, `Principal '${principal.fqn}' is not authorized to ${permission === 'read' ? 'read' : 'access'} ${on}.`);
  }
  throw new EngineAccessError(403, `Principal '${principal.fqn}' is not authorized to perform operation '${operation}' on ${on}.`);
}
