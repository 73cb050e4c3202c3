import { normalizeKustoType, type TKustoColumn } from '../../lib/mapping/types';
import { KustoError, unsupported } from '../protocol/kusto-error';
import { tokenizeCommand, type TToken } from './tokenize-command';

export interface TEntityName {
  database?: string;
  name: string;
}

export type TPolicyName = 'ingestionbatching' | 'streamingingestion';
export type TTableView = 'columns' | 'cslschema' | 'schema' | 'details' | 'extents';

export type TCommand =
  | { kind: 'createTable'; merge: boolean; table: TEntityName; columns: TKustoColumn[]; folder?: string; docString?: string }
  | { kind: 'createMapping'; orAlter: boolean; table: TEntityName; mappingKind: string; name: string; mapping: string }
  | { kind: 'dropMapping'; table: TEntityName; mappingKind: string; name: string }
  | { kind: 'showMappings'; table: TEntityName; mappingKind?: string }
  | { kind: 'alterPolicy'; merge: boolean; table: TEntityName; policy: TPolicyName; value: string }
  | { kind: 'deletePolicy'; table: TEntityName; policy: TPolicyName }
  | { kind: 'showPolicy'; table: TEntityName; policy: TPolicyName }
  | { kind: 'showTables' }
  | { kind: 'showTable'; table: TEntityName; view: TTableView }
  | { kind: 'dropTable'; table: TEntityName; ifExists: boolean }
  | { kind: 'dropTables'; names: string[]; ifExists: boolean }
  | { kind: 'databasePolicy'; action: 'alter' | 'delete' | 'show'; merge: boolean; database: string; policy: TPolicyName; value: string }
  | { kind: 'showDatabases' }
  | { kind: 'showVersion' }
  | { kind: 'showIngestionFailures'; operationId?: string }
  | { kind: 'getIngestionResources' }
  | { kind: 'getIdentityToken' }
  | { kind: 'clearCache'; cache: string };

const POLICIES: readonly TPolicyName[] = ['ingestionbatching', 'streamingingestion'];

class CommandParser {
  private index = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: TToken[],
  ) {}

  /** The command up to its first literal or parenthesis, to name it in errors. */
  describe(): string {
    const cut = this.tokens.find((token) => token.kind === 'string' || (token.kind === 'punct' && token.value !== '.'));
    const head = (cut ? this.text.slice(0, cut.start) : this.text).trim().replace(/\s+/g, ' ');
    return head.length > 80 ? `${head.slice(0, 77)}...` : head;
  }

  refuse(): never {
    throw unsupported(`The management command '${this.describe()}'`);
  }

  /** Steps over the leading `.verb`. */
  verb(): string {
    const token = this.peek();
    if (token?.kind !== 'command') throw new KustoError('syntax', 'Syntax error: a management command starts with a dot, such as .show tables');
    this.index++;
    return token.value;
  }

  private fail(problem: string): never {
    const token = this.tokens[this.index];
    const where = token ? `at position ${token.start}` : 'at the end';
    throw new KustoError('syntax', `Syntax error in '${this.describe()}': ${problem} ${where}`);
  }

  peek(): TToken | undefined {
    return this.tokens[this.index];
  }

  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  isWord(word: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.value.toLowerCase() === word;
  }

  isPunct(char: string): boolean {
    const token = this.peek();
    return token?.kind === 'punct' && token.value === char;
  }

  acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.index++;
    return true;
  }

  expectWord(...words: string[]): string {
    const token = this.peek();
    const value = token?.kind === 'word' ? token.value.toLowerCase() : undefined;
    if (value === undefined || !words.includes(value)) this.fail(`expected ${words.map((word) => `'${word}'`).join(' or ')}`);
    this.index++;
    return value;
  }

  acceptPunct(char: string): boolean {
    if (!this.isPunct(char)) return false;
    this.index++;
    return true;
  }

  expectPunct(char: string): void {
    if (!this.acceptPunct(char)) this.fail(`expected '${char}'`);
  }

  expectString(what: string): string {
    const token = this.peek();
    if (token?.kind !== 'string') this.fail(`expected ${what} as a string literal`);
    this.index++;
    return token.value;
  }

  name(what: string): string {
    const token = this.peek();
    if (token?.kind !== 'word' && token?.kind !== 'name') this.fail(`expected ${what}`);
    this.index++;
    return token.value;
  }

  /** `T`, `['T']` or `Db.T`. */
  entityName(): TEntityName {
    const first = this.name('a table name');
    if (this.acceptPunct('.')) return { database: first, name: this.name('a table name') };
    return { name: first };
  }

  columns(): TKustoColumn[] {
    this.expectPunct('(');
    const columns: TKustoColumn[] = [];
    do {
      const name = this.name('a column name');
      this.expectPunct(':');
      const typeName = this.name('a column type');
      const type = normalizeKustoType(typeName);
      if (!type) this.fail(`unknown column type '${typeName}'`);
      if (columns.some((column) => column.name === name)) this.fail(`column '${name}' is declared twice`);
      columns.push({ name, type });
    } while (this.acceptPunct(','));
    this.expectPunct(')');
    return columns;
  }

  /** `with (folder = "x", docstring = "y")` */
  withProperties(): Record<string, string> {
    const properties: Record<string, string> = {};
    if (!this.acceptWord('with')) return properties;
    this.expectPunct('(');
    do {
      const key = this.name('a property name').toLowerCase();
      this.expectPunct('=');
      const token = this.peek();
      if (!token || token.kind === 'punct') this.fail(`expected a value for '${key}'`);
      this.index++;
      properties[key] = token.value;
    } while (this.acceptPunct(','));
    this.expectPunct(')');
    return properties;
  }

  policyName(): TPolicyName {
    const token = this.peek();
    const policy = POLICIES.find((name) => token?.kind === 'word' && token.value.toLowerCase() === name);
    if (!policy) this.refuse();
    this.index++;
    return policy;
  }

  end(): void {
    if (this.isPunct('|')) throw unsupported(`Piping the output of '${this.describe()}' into a query`);
    if (!this.atEnd()) this.fail('unexpected text');
  }
}

function parseCreateTable(parser: CommandParser, merge: boolean, orAlter: boolean): TCommand {
  parser.expectWord('table');
  const table = parser.entityName();
  if (parser.acceptWord('ingestion')) {
    const mappingKind = parser.name('a mapping kind').toLowerCase();
    parser.expectWord('mapping');
    const name = parser.expectString('the mapping name');
    const mapping = parser.expectString('the mapping');
    parser.withProperties();
    parser.end();
    if (merge) throw unsupported('.create-merge of an ingestion mapping');
    return { kind: 'createMapping', orAlter, table, mappingKind, name, mapping };
  }
  if (orAlter) throw unsupported('.create-or-alter table with a schema');
  const columns = parser.columns();
  const properties = parser.withProperties();
  parser.end();
  return { kind: 'createTable', merge, table, columns, folder: properties.folder, docString: properties.docstring };
}

function parseAlter(parser: CommandParser, merge: boolean): TCommand {
  parser.expectWord('table');
  const table = parser.entityName();
  if (!parser.acceptWord('policy')) parser.refuse();
  const policy = parser.policyName();
  const value =
    parser.peek()?.kind === 'string' || merge || policy !== 'streamingingestion'
      ? parser.expectString('the policy')
      : parser.expectWord('enable', 'disable');
  parser.end();
  return { kind: 'alterPolicy', merge, table, policy, value };
}

function parseShow(parser: CommandParser): TCommand {
  if (parser.acceptWord('tables')) {
    parser.end();
    return { kind: 'showTables' };
  }
  parser.expectWord('table');
  const table = parser.entityName();
  let command: TCommand;
  if (parser.atEnd() || parser.isPunct('|')) {
    command = { kind: 'showTable', table, view: 'columns' };
  } else if (parser.acceptWord('ingestion')) {
    const mappingKind = parser.isWord('mappings') ? undefined : parser.name('a mapping kind').toLowerCase();
    parser.expectWord('mappings');
    command = { kind: 'showMappings', table, mappingKind };
  } else if (parser.acceptWord('policy')) {
    command = { kind: 'showPolicy', table, policy: parser.policyName() };
  } else if (parser.acceptWord('schema')) {
    parser.expectWord('as');
    parser.expectWord('json');
    command = { kind: 'showTable', table, view: 'schema' };
  } else {
    const view = (['details', 'cslschema', 'extents'] as const).find((name) => parser.isWord(name));
    if (!view) parser.refuse();
    parser.expectWord(view);
    command = { kind: 'showTable', table, view };
  }
  parser.end();
  return command;
}

function parseDrop(parser: CommandParser): TCommand {
  parser.expectWord('table');
  const table = parser.entityName();
  if (parser.acceptWord('ingestion')) {
    const mappingKind = parser.name('a mapping kind').toLowerCase();
    parser.expectWord('mapping');
    const name = parser.expectString('the mapping name');
    parser.end();
    return { kind: 'dropMapping', table, mappingKind, name };
  }
  const ifExists = parser.acceptWord('ifexists');
  parser.end();
  return { kind: 'dropTable', table, ifExists };
}

function parseDelete(parser: CommandParser): TCommand {
  parser.expectWord('table');
  const table = parser.entityName();
  parser.expectWord('policy');
  const policy = parser.policyName();
  parser.end();
  return { kind: 'deletePolicy', table, policy };
}

/** `.alter[-merge] database D policy P …`, `.delete database D policy P`, `.show database D policy P`. */
function parseDatabasePolicy(parser: CommandParser, action: 'alter' | 'delete' | 'show', merge: boolean): TCommand {
  parser.expectWord('database');
  const database = parser.name('a database name');
  parser.expectWord('policy');
  const policy = parser.policyName();
  let value = '';
  if (action === 'alter') {
    value = parser.peek()?.kind === 'string' || merge || policy !== 'streamingingestion' ? parser.expectString('the policy') : parser.expectWord('enable', 'disable');
  }
  parser.end();
  return { kind: 'databasePolicy', action, merge, database, policy, value };
}

/** `.show databases`, `.show version`, `.show ingestion failures [with (OperationId=…)]`, `.show database D policy P`. */
function parseShowService(parser: CommandParser): TCommand {
  if (parser.isWord('database')) return parseDatabasePolicy(parser, 'show', false);
  let command: TCommand;
  if (parser.acceptWord('databases')) command = { kind: 'showDatabases' };
  else if (parser.acceptWord('version')) command = { kind: 'showVersion' };
  else if (parser.acceptWord('ingestion')) {
    parser.expectWord('failures');
    command = { kind: 'showIngestionFailures', operationId: parser.withProperties().operationid };
  } else return parser.refuse();
  parser.end();
  return command;
}

/** `.drop tables (A, B) [ifexists]` (drop-table-command.md). */
function parseDropTables(parser: CommandParser): TCommand {
  parser.expectWord('tables');
  parser.expectPunct('(');
  const names: string[] = [];
  do names.push(parser.name('a table name'));
  while (parser.acceptPunct(','));
  parser.expectPunct(')');
  const ifExists = parser.acceptWord('ifexists');
  parser.end();
  return { kind: 'dropTables', names, ifExists };
}

/** `.get ingestion resources` and `.get kusto identity token`: the Data Management role's commands. */
function parseGet(parser: CommandParser): TCommand {
  if (parser.acceptWord('ingestion')) {
    parser.expectWord('resources');
    parser.withProperties();
    parser.end();
    return { kind: 'getIngestionResources' };
  }
  parser.expectWord('kusto');
  parser.expectWord('identity');
  parser.expectWord('token');
  parser.end();
  return { kind: 'getIdentityToken' };
}

/** `.clear database cache streamingingestion schema` and `.clear database cache query_results`: caches the engine does not keep. */
function parseClear(parser: CommandParser): TCommand {
  parser.expectWord('database');
  parser.expectWord('cache');
  const cache = parser.expectWord('streamingingestion', 'query_results');
  if (cache === 'streamingingestion') parser.expectWord('schema');
  parser.end();
  return { kind: 'clearCache', cache };
}

/** Parses the management commands the engine implements; anything else is refused by name. */
export function parseCommand(text: string): TCommand {
  const parser = new CommandParser(text, tokenizeCommand(text));
  const verb = parser.verb();
  const onTable = parser.isWord('table');
  switch (verb) {
    case '.create':
    case '.create-merge':
    case '.create-or-alter':
      return onTable ? parseCreateTable(parser, verb === '.create-merge', verb === '.create-or-alter') : parser.refuse();
    case '.alter':
    case '.alter-merge':
      if (parser.isWord('database')) return parseDatabasePolicy(parser, 'alter', verb === '.alter-merge');
      return onTable ? parseAlter(parser, verb === '.alter-merge') : parser.refuse();
    case '.show':
      return onTable || parser.isWord('tables') ? parseShow(parser) : parseShowService(parser);
    case '.drop':
      if (parser.isWord('tables')) return parseDropTables(parser);
      return onTable ? parseDrop(parser) : parser.refuse();
    case '.delete':
      if (parser.isWord('database')) return parseDatabasePolicy(parser, 'delete', false);
      return onTable ? parseDelete(parser) : parser.refuse();
    case '.get':
      return parseGet(parser);
    case '.clear':
      return parseClear(parser);
    default:
      return parser.refuse();
  }
}
