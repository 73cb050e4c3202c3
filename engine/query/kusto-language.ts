import { createRequire } from 'node:module';
import type { TKustoColumn } from '../../lib/mapping/types';

/**
 * A typed window onto Microsoft's Kusto.Language parser (@kusto/language-service-next, a Bridge.NET
 * translation of the C# library). The package is a pair of browser-style scripts that define the
 * globals `Bridge` and `Kusto`, so it is loaded with require and only the members used here are typed.
 */

export interface KList<T> {
  Count: number;
  getItem(index: number): T;
}

export interface KTypeSymbol {
  Name: string;
  Columns?: KList<KColumnSymbol>;
}

export interface KColumnSymbol {
  Name: string;
  Type: KTypeSymbol;
  Source: KSyntaxNode | null;
}

export interface KSyntaxNode {
  Kind: number;
  ChildCount: number;
  GetChild(index: number): KSyntaxNode | null;
  GetFirstToken(): KSyntaxNode | null;
  TextStart: number;
  Width: number;
  IsToken: boolean;
  /** Tokens: the text without trivia; literal tokens: the literal's value text. */
  Text: string;
  ValueText: string;
  ResultType: KTypeSymbol | null;
  ReferencedSymbol: { Name: string } | null;
  /** Names (NameReference, NameDeclaration): the name without quoting. */
  SimpleName: string;
  /** Literals after analysis: the decoded value, e.g. a string literal's text. */
  ConstantValue: unknown;
  ToString(includeTrivia?: number): string;
}

export interface KDiagnostic {
  Code: string;
  Message: string;
  Severity: string;
  Start: number;
  Length: number;
}

export interface KKustoCode {
  Syntax: KSyntaxNode;
  GetDiagnostics(): KList<KDiagnostic>;
  GetSyntaxDiagnostics(): KList<KDiagnostic>;
}

interface KRuntime {
  Bridge: { is(value: unknown, type: unknown): boolean };
  Kusto: {
    Language: {
      KustoCode: { ParseAndAnalyze(text: string, globals: unknown): KKustoCode };
      GlobalState: { Default: { WithDatabase(database: unknown): unknown } };
      Syntax: { SyntaxKind: Record<string, number>; QueryOperator: unknown; Statement: unknown };
      Symbols: {
        ScalarTypes: Record<string, unknown>;
        ColumnSymbol: new (name: string, type: unknown, description: null, originalColumns: null, source: null, examples: null) => unknown;
        TableSymbol: { $ctor4: new (name: string, columns: unknown[]) => unknown };
        DatabaseSymbol: { $ctor2: new (name: string, alternateName: null, members: unknown[]) => unknown };
      };
    };
  };
}

let runtime: KRuntime | undefined;
let kindNames: Map<number, string> | undefined;

function load(): KRuntime {
  if (!runtime) {
    const require = createRequire(import.meta.url);
    require('@kusto/language-service-next/bridge.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.js');
    runtime = globalThis as unknown as KRuntime;
    kindNames = new Map(Object.entries(runtime.Kusto.Language.Syntax.SyntaxKind).filter(([, value]) => typeof value === 'number').map(([name, value]) => [value, name]));
  }
  return runtime;
}

const SCALAR_TYPE_SYMBOLS: Record<TKustoColumn['type'], string> = {
  bool: 'Bool',
  int: 'Int',
  long: 'Long',
  real: 'Real',
  decimal: 'Decimal',
  string: 'String',
  datetime: 'DateTime',
  timespan: 'TimeSpan',
  guid: 'Guid',
  dynamic: 'Dynamic',
};

export interface TTableSchema {
  name: string;
  columns: readonly TKustoColumn[];
}

const globalsCache = new Map<string, { key: string; globals: unknown }>();

/** Building a GlobalState costs tens of milliseconds, so the last one per database is kept until its schema changes. */
function globalsFor(database: string, tables: readonly TTableSchema[]): unknown {
  const key = JSON.stringify(tables.map((table) => [table.name, table.columns]));
  const cached = globalsCache.get(database);
  if (cached?.key === key) return cached.globals;
  const { Symbols, GlobalState } = load().Kusto.Language;
  const tableSymbols = tables.map(
    (table) =>
      new Symbols.TableSymbol.$ctor4(
        table.name,
        table.columns.map((column) => new Symbols.ColumnSymbol(column.name, Symbols.ScalarTypes[SCALAR_TYPE_SYMBOLS[column.type]], null, null, null, null)),
      ),
  );
  const globals = GlobalState.Default.WithDatabase(new Symbols.DatabaseSymbol.$ctor2(database, null, tableSymbols));
  globalsCache.set(database, { key, globals });
  return globals;
}

export function parseAndAnalyze(text: string, database: string, tables: readonly TTableSchema[]): KKustoCode {
  return load().Kusto.Language.KustoCode.ParseAndAnalyze(text, globalsFor(database, tables));
}

/** Loads the parser and warms its symbol tables so the first real query is not slow. */
export function warmUpKustoLanguage(): void {
  parseAndAnalyze('T | where a > 1 | summarize count() by bin(b, 1h)', '_warmup', [
    { name: 'T', columns: [{ name: 'a', type: 'long' }, { name: 'b', type: 'datetime' }] },
  ]);
}

export function kindOf(node: KSyntaxNode): string {
  load();
  return kindNames?.get(node.Kind) ?? 'Unknown';
}

export function isQueryOperator(node: KSyntaxNode): boolean {
  const { Bridge, Kusto } = load();
  return Bridge.is(node, Kusto.Language.Syntax.QueryOperator);
}

export function isStatement(node: KSyntaxNode): boolean {
  const { Bridge, Kusto } = load();
  return Bridge.is(node, Kusto.Language.Syntax.Statement);
}

/** A named syntax property such as `Left`, `Operator` or `Expressions`. */
export function member(node: KSyntaxNode, name: string): KSyntaxNode | null {
  const value = (node as unknown as Record<string, unknown>)[name];
  return (value as KSyntaxNode | null | undefined) ?? null;
}

export function requireMember(node: KSyntaxNode, name: string): KSyntaxNode {
  const value = member(node, name);
  if (!value) throw new Error(`Syntax node ${kindOf(node)} has no ${name}`);
  return value;
}

export function childrenOf(node: KSyntaxNode): KSyntaxNode[] {
  const children: KSyntaxNode[] = [];
  for (let i = 0; i < node.ChildCount; i++) {
    const child = node.GetChild(i);
    if (child) children.push(child);
  }
  return children;
}

/** The elements of a separated list (`a, b, c`), without the commas. */
export function listElements(list: KSyntaxNode | null): KSyntaxNode[] {
  if (!list) return [];
  return childrenOf(list).flatMap((separated) => {
    const element = separated.GetChild(0);
    return element ? [element] : [];
  });
}

export function listItems<T>(list: KList<T> | null | undefined): T[] {
  const items: T[] = [];
  for (let i = 0; i < (list?.Count ?? 0); i++) items.push(list!.getItem(i));
  return items;
}

export function* walk(node: KSyntaxNode): Generator<KSyntaxNode> {
  yield node;
  for (const child of childrenOf(node)) yield* walk(child);
}

const MINIMAL_TRIVIA = 2;

/** The source text of a node without its surrounding trivia. */
export function textOf(node: KSyntaxNode): string {
  return node.ToString(MINIMAL_TRIVIA).trim();
}
