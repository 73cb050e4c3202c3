import { KustoError, unsupported } from '../protocol/kusto-error';
import type { TResultColumn } from '../protocol/result-table';
import type { TTableRecord } from '../storage/catalog';
import { physicalColumnName, physicalTableName, quoteIdentifier } from '../storage/duckdb-types';
import { kindOf, listElements, listItems, member, requireMember, textOf, type KKustoCode, type KSyntaxNode } from './kusto-language';
import { SqlParameters } from './sql-parameters';
import { castTo, translateExpression, type TScopeColumn, type TSqlExpression } from './translate-expression';

/** ADX truncates results at 500,000 rows unless told otherwise (kusto/concepts/query-limits.md). */
export const RESULT_ROW_LIMIT = 500_000;

export interface TTranslatedQuery {
  sql: string;
  params: string[];
  columns: TResultColumn[];
}

/** One stage of the pipeline: a CTE, the Kusto columns it exposes, and its row order if sorted. */
interface TRelation {
  from: string;
  columns: TScopeColumn[];
  /** A row_number() column recording the order a sort or top established; later stages keep it. */
  order: string | null;
}

class PipelineTranslator {
  private readonly stages: string[] = [];
  private aliasCount = 0;
  readonly params = new SqlParameters();

  constructor(
    private readonly tables: readonly TTableRecord[],
    private readonly nowMicros: bigint,
  ) {}

  private alias(prefix: string): string {
    return quoteIdentifier(`${prefix}${this.aliasCount++}`);
  }

  private stage(sql: string): string {
    const name = quoteIdentifier(`s${this.stages.length}`);
    this.stages.push(`${name} AS (${sql})`);
    return name;
  }

  private expression(node: KSyntaxNode, input: TRelation, allowAggregates = false): TSqlExpression {
    return translateExpression(node, { columns: input.columns, params: this.params, nowMicros: this.nowMicros, allowAggregates });
  }

  tabular(node: KSyntaxNode): TRelation {
    switch (kindOf(node)) {
      case 'NameReference':
        return this.source(node.SimpleName);
      case 'ParenthesizedExpression':
        return this.tabular(requireMember(node, 'Expression'));
      case 'PipeExpression': {
        const operator = requireMember(node, 'Operator');
        const output = this.operator(operator, this.tabular(requireMember(node, 'Expression')));
        return this.matchAnalyzedColumns(node, operator, output);
      }
      default:
        throw unsupported(`The tabular expression '${textOf(node)}'`);
    }
  }

  /** Every stage must expose exactly the columns the analyzer computed, or the engine refuses. */
  private matchAnalyzedColumns(pipe: KSyntaxNode, operator: KSyntaxNode, relation: TRelation): TRelation {
    const analyzed = listItems(pipe.ResultType?.Columns);
    const same = analyzed.length === relation.columns.length && analyzed.every((column, i) => column.Name === relation.columns[i].name);
    if (!same) {
      throw new KustoError('unsupported', `The local Kusto engine cannot reproduce the columns of operator '${operator.GetFirstToken()?.Text}' in '${textOf(operator)}'`);
    }
    return relation;
  }

  private source(name: string): TRelation {
    const table = this.tables.find((candidate) => candidate.name === name);
    if (!table) throw new KustoError('semantic', `Semantic error: SEM0100: 'table' operator: Failed to resolve table expression named '${name}'`);
    const columns = table.columns.map((column) => ({ ...column, sql: this.alias('k') }));
    const select = columns.map((column, ordinal) => `${physicalColumnName(ordinal)} AS ${column.sql}`);
    const from = this.stage(`SELECT ${select.join(', ')} FROM ${physicalTableName(table.id)}`);
    return { from, columns, order: null };
  }

  private operator(operator: KSyntaxNode, input: TRelation): TRelation {
    const analyzed = listItems(operator.ResultType?.Columns);
    switch (kindOf(operator)) {
      case 'FilterOperator': {
        const condition = this.expression(requireMember(operator, 'Condition'), input);
        return { ...input, from: this.stage(`SELECT * FROM ${input.from} WHERE ${condition.sql}`) };
      }
      case 'TakeOperator': {
        const count = this.rowCount(requireMember(operator, 'Expression'));
        return { ...input, from: this.stage(`SELECT * FROM ${input.from}${input.order ? ` ORDER BY ${input.order}` : ''} LIMIT ${count}`) };
      }
      case 'CountOperator': {
        const count = this.alias('k');
        return { from: this.stage(`SELECT count(*) AS ${count} FROM ${input.from}`), columns: [{ name: analyzed[0]?.Name ?? 'Count', type: 'long', sql: count }], order: null };
      }
      case 'SortOperator':
        return this.sort(input, listElements(member(operator, 'Expressions')), null);
      case 'TopOperator':
        return this.sort(input, [requireMember(operator, 'ByExpression')], this.rowCount(requireMember(operator, 'Expression')));
      case 'ProjectOperator':
        return this.project(operator, input);
      case 'ProjectAwayOperator':
      case 'ProjectKeepOperator':
      case 'ProjectReorderOperator':
      case 'ProjectRenameOperator':
        return this.reshape(operator, input);
      case 'ExtendOperator':
        return listElements(member(operator, 'Expressions')).reduce((relation, expression) => this.extend(operator, relation, expression), input);
      case 'SummarizeOperator':
        return this.summarize(operator, input);
      case 'DistinctOperator':
        return this.distinct(operator, input);
      default:
        throw unsupported(`Operator '${operator.GetFirstToken()?.Text}'`);
    }
  }

  /** `take`/`top` counts must be literal integers. */
  private rowCount(node: KSyntaxNode): string {
    const kind = kindOf(node);
    const text = member(node, 'Token')?.ValueText ?? '';
    if ((kind !== 'LongLiteralExpression' && kind !== 'IntLiteralExpression') || !/^\d+$/.test(text)) {
      throw unsupported(`A row count that is not a literal integer ('${textOf(node)}')`);
    }
    return text;
  }

  private sort(input: TRelation, expressions: KSyntaxNode[], limit: string | null): TRelation {
    const keys = expressions.map((node) => {
      const ordering = kindOf(node) === 'OrderedExpression' ? member(node, 'Ordering') : null;
      const value = this.expression(ordering ? requireMember(node, 'Expression') : node, input);
      const direction = ordering ? member(ordering, 'AscOrDescKeyword')?.Text.toLowerCase() : undefined;
      const nullsClause = ordering ? member(ordering, 'NullsClause') : null;
      const nulls = nullsClause ? member(nullsClause, 'FirstOrLastKeyword')?.Text.toLowerCase() : undefined;
      // sort-operator.md: descending by default; nulls first when ascending, last when descending.
      const ascending = direction === 'asc';
      const nullsFirst = nulls === 'first' || (nulls !== 'last' && ascending);
      return `${value.sql} ${ascending ? 'ASC' : 'DESC'} NULLS ${nullsFirst ? 'FIRST' : 'LAST'}`;
    });
    const order = this.alias('o');
    const qualify = limit === null ? '' : ` QUALIFY ${order} <= ${limit}`;
    return { ...input, from: this.stage(`SELECT *, row_number() OVER (ORDER BY ${keys.join(', ')}) AS ${order} FROM ${input.from}${qualify}`), order };
  }

  /** A computed column, cast to the type the analyzer inferred. */
  private computed(value: TSqlExpression, name: string): { column: TScopeColumn; select: string } {
    const column = { name, type: value.type, sql: this.alias('k') };
    return { column, select: `${castTo(value.sql, value.type)} AS ${column.sql}` };
  }

  private valueOf(node: KSyntaxNode): KSyntaxNode {
    const kind = kindOf(node);
    if (kind === 'SimpleNamedExpression') return requireMember(node, 'Expression');
    if (kind === 'CompoundNamedExpression') throw unsupported(`The tuple assignment '${textOf(node)}'`);
    return node;
  }

  private project(operator: KSyntaxNode, input: TRelation): TRelation {
    const analyzed = listItems(operator.ResultType?.Columns);
    const expressions = listElements(member(operator, 'Expressions'));
    if (expressions.length !== analyzed.length) throw unsupported(`The projection '${textOf(operator)}'`);
    const outputs = expressions.map((node, i) => this.computed(this.expression(this.valueOf(node), input), analyzed[i].Name));
    const select = outputs.map((output) => output.select);
    if (input.order) select.push(input.order);
    return { from: this.stage(`SELECT ${select.join(', ')} FROM ${input.from}`), columns: outputs.map((output) => output.column), order: input.order };
  }

  /** project-away/-keep/-reorder/-rename only pick and rename columns; no SQL stage is needed. */
  private reshape(operator: KSyntaxNode, input: TRelation): TRelation {
    const renamedFrom = new Map<string, string>();
    for (const node of listElements(member(operator, 'Expressions'))) {
      if (kindOf(node) === 'SimpleNamedExpression') renamedFrom.set(requireMember(node, 'Name').SimpleName, requireMember(node, 'Expression').SimpleName);
    }
    const columns = listItems(operator.ResultType?.Columns).map((column) => {
      const sourceName = renamedFrom.get(column.Name) ?? column.Name;
      const source = input.columns.find((candidate) => candidate.name === sourceName);
      if (!source) throw unsupported(`The projection '${textOf(operator)}'`);
      return { ...source, name: column.Name };
    });
    return { ...input, columns };
  }

  /**
   * One stage per extend expression, so later expressions see earlier ones (`extend a = 1, b = a + 1`).
   * An unnamed expression takes the name the analyzer gave the column it produced.
   */
  private extend(operator: KSyntaxNode, input: TRelation, node: KSyntaxNode): TRelation {
    let name: string | undefined;
    if (kindOf(node) === 'SimpleNamedExpression') name = requireMember(node, 'Name').SimpleName;
    else name = listItems(operator.ResultType?.Columns).find((column) => column.Source === node)?.Name;
    if (name === undefined) {
      if (kindOf(node) === 'NameReference' && input.columns.some((column) => column.name === node.SimpleName)) return input;
      throw unsupported(`The unnamed extend expression '${textOf(node)}'`);
    }
    const output = this.computed(this.expression(this.valueOf(node), input), name);
    const columns = input.columns.some((column) => column.name === name)
      ? input.columns.map((column) => (column.name === name ? output.column : column))
      : [...input.columns, output.column];
    return { from: this.stage(`SELECT *, ${output.select} FROM ${input.from}`), columns, order: input.order };
  }

  private summarize(operator: KSyntaxNode, input: TRelation): TRelation {
    const byClause = member(operator, 'ByClause');
    if (byClause && member(byClause, 'BinClause')) throw unsupported("summarize's bin= clause");
    const groups = listElements(byClause ? member(byClause, 'Expressions') : null);
    const aggregates = listElements(member(operator, 'Aggregates'));
    const values = [
      ...groups.map((node) => this.expression(this.valueOf(node), input)),
      ...aggregates.map((node) => this.expression(this.valueOf(node), input, true)),
    ];
    // Aggregates such as arg_max(x, *) yield several columns; only one column per expression is implemented.
    const analyzed = listItems(operator.ResultType?.Columns);
    if (analyzed.length !== values.length) throw unsupported(`The aggregation '${textOf(operator)}'`);
    const outputs = values.map((value, i) => this.computed(value, analyzed[i].Name));
    const groupBy = groups.length ? ` GROUP BY ${groups.map((_, i) => i + 1).join(', ')}` : '';
    return {
      from: this.stage(`SELECT ${outputs.map((output) => output.select).join(', ')} FROM ${input.from}${groupBy}`),
      columns: outputs.map((output) => output.column),
      order: null,
    };
  }

  private distinct(operator: KSyntaxNode, input: TRelation): TRelation {
    const expressions = listElements(member(operator, 'Expressions'));
    if (expressions.length === 1 && kindOf(expressions[0]) === 'StarExpression') {
      const select = input.columns.map((column) => column.sql).join(', ');
      return { from: this.stage(`SELECT DISTINCT ${select} FROM ${input.from}`), columns: input.columns, order: null };
    }
    const analyzed = listItems(operator.ResultType?.Columns);
    if (analyzed.length !== expressions.length) throw unsupported(`The projection '${textOf(operator)}'`);
    const outputs = expressions.map((node, i) => this.computed(this.expression(this.valueOf(node), input), analyzed[i].Name));
    return { from: this.stage(`SELECT DISTINCT ${outputs.map((output) => output.select).join(', ')} FROM ${input.from}`), columns: outputs.map((output) => output.column), order: null };
  }

  finish(relation: TRelation): TTranslatedQuery {
    if (relation.columns.length === 0) throw unsupported('A query result without columns');
    const select = relation.columns.map((column) => column.sql).join(', ');
    const order = relation.order ? ` ORDER BY ${relation.order}` : '';
    return {
      sql: `WITH ${this.stages.join(', ')} SELECT ${select} FROM ${relation.from}${order} LIMIT ${RESULT_ROW_LIMIT + 1}`,
      params: this.params.values,
      columns: relation.columns.map(({ name, type }) => ({ name, type })),
    };
  }
}

function queryExpression(code: KKustoCode): KSyntaxNode {
  const statement = listElements(member(code.Syntax, 'Statements')).find((node) => kindOf(node) === 'ExpressionStatement');
  if (!statement) throw new KustoError('syntax', 'Syntax error: the query has no tabular expression');
  return requireMember(statement, 'Expression');
}

/** Translates an analyzed query into one DuckDB statement whose columns are typed and named as Kusto would. */
export function translateQuery(code: KKustoCode, tables: readonly TTableRecord[], nowMicros: bigint): TTranslatedQuery {
  const translator = new PipelineTranslator(tables, nowMicros);
  const expression = queryExpression(code);
  const result = translator.tabular(expression);
  if (!expression.ResultType?.Columns) throw unsupported(`The scalar query '${textOf(expression)}'`);
  return translator.finish(result);
}

