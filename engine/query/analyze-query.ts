import { KustoError, unsupported } from '../protocol/kusto-error';
import {
  isQueryOperator,
  isStatement,
  kindOf,
  listItems,
  parseAndAnalyze,
  textOf,
  walk,
  type KDiagnostic,
  type KKustoCode,
  type KSyntaxNode,
  type TTableSchema,
} from './kusto-language';

const SUPPORTED_OPERATORS: ReadonlySet<string> = new Set([
  'FilterOperator',
  'TakeOperator',
  'CountOperator',
  'SortOperator',
  'TopOperator',
  'ProjectOperator',
  'ProjectAwayOperator',
  'ProjectKeepOperator',
  'ProjectRenameOperator',
  'ProjectReorderOperator',
  'ExtendOperator',
  'SummarizeOperator',
  'DistinctOperator',
]);

function location(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `[line:position=${before.length}:${before[before.length - 1].length}]`;
}

function firstError(diagnostics: KDiagnostic[]): KDiagnostic | undefined {
  return diagnostics.find((diagnostic) => diagnostic.Severity === 'Error');
}

/** The first construct outside the supported subset, in reading order. */
function refuseUnsupported(root: KSyntaxNode): void {
  let expressionStatements = 0;
  for (const node of walk(root)) {
    if (isStatement(node)) {
      if (kindOf(node) !== 'ExpressionStatement') throw unsupported(`Statement '${node.GetFirstToken()?.Text ?? kindOf(node)}'`);
      if (++expressionStatements > 1) throw unsupported('A query with several result statements');
    } else if (kindOf(node) === 'Directive') {
      throw unsupported(`The directive '${textOf(node)}'`);
    } else if (isQueryOperator(node) && !SUPPORTED_OPERATORS.has(kindOf(node))) {
      throw unsupported(`Operator '${node.GetFirstToken()?.Text ?? kindOf(node)}'`);
    }
  }
  if (expressionStatements === 0) throw new KustoError('syntax', 'Syntax error: the query is empty');
}

function semanticError(text: string, diagnostic: KDiagnostic): KustoError {
  const subject = text.substr(diagnostic.Start, diagnostic.Length);
  if (diagnostic.Code === 'KS204') return new KustoError('semantic', `Semantic error: SEM0100: 'table' operator: Failed to resolve table expression named '${subject}'`);
  if (diagnostic.Code === 'KS142') return new KustoError('semantic', `Semantic error: SEM0100: Failed to resolve scalar expression named '${subject}'`);
  return new KustoError('semantic', `Semantic error: ${diagnostic.Code}: ${diagnostic.Message} ${location(text, diagnostic.Start)}`);
}

/**
 * Parses and analyzes a query with Kusto.Language against the database's tables. Order of checks:
 * syntax errors, then constructs the engine does not implement (so `T | join X on Y` is refused
 * for `join` even though X is unknown), then semantic errors.
 */
export function analyzeQuery(text: string, database: string, tables: readonly TTableSchema[]): KKustoCode {
  const code = parseAndAnalyze(text, database, tables);
  const syntaxError = firstError(listItems(code.GetSyntaxDiagnostics()));
  if (syntaxError) throw new KustoError('syntax', `Syntax error: ${syntaxError.Code}: ${syntaxError.Message} ${location(text, syntaxError.Start)}`);
  refuseUnsupported(code.Syntax);
  const semantic = firstError(listItems(code.GetDiagnostics()));
  if (semantic) throw semanticError(text, semantic);
  return code;
}
