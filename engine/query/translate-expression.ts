import { parseKustoDatetime } from '../../lib/mapping/kusto-datetime';
import { parseKustoTimespan } from '../../lib/mapping/kusto-timespan';
import { normalizeKustoType, type TKustoColumnType } from '../../lib/mapping/types';
import { KustoError, unsupported } from '../protocol/kusto-error';
import { duckdbTypeOf } from '../storage/duckdb-types';
import { kindOf, listElements, member, requireMember, textOf, type KSyntaxNode } from './kusto-language';
import { bigintSql, type SqlParameters } from './sql-parameters';

export interface TScopeColumn {
  name: string;
  type: TKustoColumnType;
  /** The SQL that reads the column in the current stage. */
  sql: string;
}

export interface TExpressionContext {
  columns: readonly TScopeColumn[];
  params: SqlParameters;
  /** now() for the whole query, in microseconds: Kusto evaluates it once per query. */
  nowMicros: bigint;
  /** True only directly inside summarize's aggregate list. */
  allowAggregates: boolean;
}

export interface TSqlExpression {
  sql: string;
  type: TKustoColumnType;
}

const TICKS_PER_MICROSECOND = 10n;

/** The Kusto type the analyzer inferred for an expression. */
export function kqlTypeOf(node: KSyntaxNode): TKustoColumnType {
  const name = node.ResultType?.Name ?? 'unknown';
  const type = name.startsWith('dynamic') ? 'dynamic' : normalizeKustoType(name);
  if (!type) throw unsupported(`An expression of type '${name}' ('${textOf(node)}')`);
  return type;
}

export function castTo(sql: string, type: TKustoColumnType): string {
  return `CAST(${sql} AS ${duckdbTypeOf(type)})`;
}

function microsOf(expression: TSqlExpression): string {
  return expression.type === 'datetime' || expression.type === 'timespan' ? `epoch_us(${expression.sql})` : expression.sql;
}

function fromMicros(sql: string, type: TKustoColumnType): string {
  if (type === 'datetime') return `make_timestamp(CAST(${sql} AS BIGINT))`;
  if (type === 'timespan') return `to_microseconds(CAST(${sql} AS BIGINT))`;
  return castTo(sql, type);
}

/** Kusto's text form of a value, as tostring() and strcat() produce it; null becomes "". */
export function textSql(expression: TSqlExpression): string {
  const value = expression.sql;
  switch (expression.type) {
    case 'string':
      return `coalesce(${value}, '')`;
    case 'bool':
      return `coalesce(CASE WHEN ${value} THEN 'true' WHEN NOT ${value} THEN 'false' END, '')`;
    case 'real':
    case 'decimal':
      // .NET prints whole doubles without a fraction (1.0 → "1"); DuckDB would print "1.0".
      return `coalesce(CASE WHEN ${value} = trunc(${value}) AND abs(${value}) < 1e15 THEN CAST(CAST(${value} AS BIGINT) AS VARCHAR) ELSE CAST(${value} AS VARCHAR) END, '')`;
    case 'datetime':
      return `coalesce(strftime(${value}, '%Y-%m-%dT%H:%M:%S.%f') || '0Z', '')`;
    case 'dynamic':
      return `coalesce(CASE WHEN json_type(${value}) = 'VARCHAR' THEN json_extract_string(${value}, '$') ELSE CAST(${value} AS VARCHAR) END, '')`;
    case 'timespan':
      throw unsupported('Converting a timespan to text');
    default:
      return `coalesce(CAST(${value} AS VARCHAR), '')`;
  }
}

/** A dynamic value read as a scalar of `type`, for comparisons such as `d.x == 5`. */
function fromDynamic(expression: TSqlExpression, type: TKustoColumnType): string {
  if (expression.type !== 'dynamic' || type === 'dynamic') return expression.sql;
  const text = `json_extract_string(${expression.sql}, '$')`;
  if (type === 'string') return text;
  if (type === 'datetime' || type === 'timespan') throw unsupported(`Comparing a dynamic value with a ${type}`);
  return `TRY_CAST(${text} AS ${duckdbTypeOf(type)})`;
}

class ExpressionTranslator {
  constructor(private readonly context: TExpressionContext) {}

  translate(node: KSyntaxNode): TSqlExpression {
    const type = kqlTypeOf(node);
    return { sql: this.sqlOf(node, type), type };
  }

  private child(node: KSyntaxNode, name: string): TSqlExpression {
    return this.translate(requireMember(node, name));
  }

  private withoutAggregates(): ExpressionTranslator {
    return this.context.allowAggregates ? new ExpressionTranslator({ ...this.context, allowAggregates: false }) : this;
  }

  private sqlOf(node: KSyntaxNode, type: TKustoColumnType): string {
    const kind = kindOf(node);
    switch (kind) {
      case 'NameReference':
        return this.column(node.SimpleName).sql;
      case 'ParenthesizedExpression':
        return `(${this.child(node, 'Expression').sql})`;
      case 'BooleanLiteralExpression':
      case 'IntLiteralExpression':
      case 'LongLiteralExpression':
      case 'RealLiteralExpression':
      case 'DecimalLiteralExpression':
      case 'DateTimeLiteralExpression':
      case 'TimespanLiteralExpression':
      case 'GuidLiteralExpression':
      case 'StringLiteralExpression':
      case 'CompoundStringLiteralExpression':
        return this.literal(node, kind, type);
      case 'UnaryMinusExpression': {
        const operand = this.child(node, 'Expression');
        return operand.type === 'timespan' ? `to_microseconds(-(epoch_us(${operand.sql})))` : `(-(${operand.sql}))`;
      }
      case 'UnaryPlusExpression':
        return this.child(node, 'Expression').sql;
      case 'AddExpression':
      case 'SubtractExpression':
      case 'MultiplyExpression':
      case 'DivideExpression':
      case 'ModuloExpression':
        return this.arithmetic(node, kind, type);
      case 'EqualExpression':
      case 'NotEqualExpression':
      case 'LessThanExpression':
      case 'LessThanOrEqualExpression':
      case 'GreaterThanExpression':
      case 'GreaterThanOrEqualExpression':
        return this.comparison(node, kind);
      case 'AndExpression':
        return `(${this.child(node, 'Left').sql} AND ${this.child(node, 'Right').sql})`;
      case 'OrExpression':
        return `(${this.child(node, 'Left').sql} OR ${this.child(node, 'Right').sql})`;
      case 'InExpression':
      case 'NotInExpression':
      case 'InCsExpression':
      case 'NotInCsExpression':
        return this.membership(node, kind);
      case 'BetweenExpression':
      case 'NotBetweenExpression':
        return this.between(node, kind === 'NotBetweenExpression');
      case 'FunctionCallExpression':
        return this.call(node, type);
      case 'PathExpression':
      case 'ElementExpression':
        return this.dynamicAccess(node);
      default: {
        const text = this.stringOperator(node, kind);
        if (text !== null) return text;
        throw unsupported(`The expression '${textOf(node)}'`);
      }
    }
  }

  private column(name: string): TScopeColumn {
    const column = this.context.columns.find((candidate) => candidate.name === name);
    if (!column) throw new KustoError('semantic', `Semantic error: Failed to resolve scalar expression named '${name}'`);
    return column;
  }

  private literal(node: KSyntaxNode, kind: string, type: TKustoColumnType): string {
    const token = member(node, 'Token');
    const text = token?.ValueText ?? '';
    if (text === 'null' && kind !== 'StringLiteralExpression' && kind !== 'CompoundStringLiteralExpression') return castTo('NULL', type);
    switch (kind) {
      case 'BooleanLiteralExpression':
        return text.toLowerCase() === 'true' ? 'TRUE' : 'FALSE';
      case 'IntLiteralExpression':
      case 'LongLiteralExpression':
        return castTo(BigInt(text).toString(), type);
      case 'RealLiteralExpression':
      case 'DecimalLiteralExpression': {
        if (/^[+-]?inf(inity)?$|^nan$/i.test(text)) return `CAST('${text.toLowerCase().replace('+', '')}' AS DOUBLE)`;
        const value = Number(text);
        if (!Number.isFinite(value)) throw unsupported(`The literal '${textOf(node)}'`);
        return castTo(String(value), 'real');
      }
      case 'DateTimeLiteralExpression': {
        const ticks = parseKustoDatetime(text);
        if (ticks === null) throw new KustoError('badRequest', `Invalid datetime literal '${textOf(node)}'`);
        return `make_timestamp(${bigintSql(ticks / TICKS_PER_MICROSECOND)})`;
      }
      case 'TimespanLiteralExpression': {
        const ticks = parseKustoTimespan(text);
        if (ticks === null) throw new KustoError('badRequest', `Invalid timespan literal '${textOf(node)}'`);
        return `to_microseconds(${bigintSql(ticks / TICKS_PER_MICROSECOND)})`;
      }
      case 'GuidLiteralExpression':
        return `CAST(${this.context.params.text(text)} AS UUID)`;
      default:
        return this.context.params.text(String(node.ConstantValue ?? text));
    }
  }

  private arithmetic(node: KSyntaxNode, kind: string, type: TKustoColumnType): string {
    const left = this.child(node, 'Left');
    const right = this.child(node, 'Right');
    const temporal = [left.type, right.type].some((operandType) => operandType === 'datetime' || operandType === 'timespan');
    if (temporal) {
      const l = microsOf(left);
      const r = microsOf(right);
      switch (kind) {
        case 'AddExpression':
          return fromMicros(`(${l} + ${r})`, type);
        case 'SubtractExpression':
          return fromMicros(`(${l} - ${r})`, type);
        case 'MultiplyExpression':
          return fromMicros(`trunc(${l} * ${r})`, type);
        case 'DivideExpression':
          return type === 'timespan' ? fromMicros(`trunc(${l} / ${r})`, type) : `(CAST(${l} AS DOUBLE) / ${r})`;
        default:
          return fromMicros(`(${l} % ${r})`, type);
      }
    }
    const operator = { AddExpression: '+', SubtractExpression: '-', MultiplyExpression: '*', DivideExpression: '/', ModuloExpression: '%' }[kind];
    // Kusto divides integers the C# way, truncating toward zero, as DuckDB's // does.
    const sqlOperator = operator === '/' && (type === 'int' || type === 'long') ? '//' : operator;
    return castTo(`(${left.sql} ${sqlOperator} ${right.sql})`, type);
  }

  private comparison(node: KSyntaxNode, kind: string): string {
    const left = this.child(node, 'Left');
    const right = this.child(node, 'Right');
    const operator = {
      EqualExpression: '=',
      NotEqualExpression: '<>',
      LessThanExpression: '<',
      LessThanOrEqualExpression: '<=',
      GreaterThanExpression: '>',
      GreaterThanOrEqualExpression: '>=',
    }[kind];
    return `(${fromDynamic(left, right.type)} ${operator} ${fromDynamic(right, left.type)})`;
  }

  private textOperand(node: KSyntaxNode, name: string): string {
    const operand = this.child(node, name);
    return operand.type === 'string' ? operand.sql : textSql(operand);
  }

  /** has/contains/startswith/endswith/=~ families; null when `kind` is none of them. */
  private stringOperator(node: KSyntaxNode, kind: string): string | null {
    const match = /^(Not)?(Has|HasPrefix|HasSuffix|Contains|StartsWith|EndsWith)(Cs)?Expression$/.exec(kind);
    if (kind === 'EqualTildeExpression' || kind === 'BangTildeExpression') {
      const equal = `(lower(${this.textOperand(node, 'Left')}) = lower(${this.textOperand(node, 'Right')}))`;
      return kind === 'BangTildeExpression' ? `(NOT ${equal})` : equal;
    }
    if (kind === 'MatchesRegexExpression') return `regexp_matches(${this.textOperand(node, 'Left')}, ${this.textOperand(node, 'Right')})`;
    if (!match) return null;
    const [, negated, operator, caseSensitive] = match;
    let left = this.textOperand(node, 'Left');
    let right = this.textOperand(node, 'Right');
    let test: string;
    if (operator.startsWith('Has')) {
      // Kusto terms are runs of ASCII letters and digits; `has` matches whole terms (datatypes-string-operators.md).
      const before = operator === 'HasSuffix' ? "''" : "'(^|[^[:alnum:]])'";
      const after = operator === 'HasPrefix' ? "''" : "'($|[^[:alnum:]])'";
      const flags = caseSensitive ? "''" : "'(?i)'";
      test = `regexp_matches(${left}, ${flags} || ${before} || regexp_escape(${right}) || ${after})`;
    } else {
      if (!caseSensitive) {
        left = `lower(${left})`;
        right = `lower(${right})`;
      }
      const fn = { Contains: 'contains', StartsWith: 'starts_with', EndsWith: 'ends_with' }[operator];
      test = `${fn}(${left}, ${right})`;
    }
    return negated ? `(NOT ${test})` : test;
  }

  private membership(node: KSyntaxNode, kind: string): string {
    const left = this.child(node, 'Left');
    const caseInsensitive = kind === 'InCsExpression' || kind === 'NotInCsExpression';
    const items = listElements(member(requireMember(node, 'Right'), 'Expressions')).map((element) => {
      if (element.ResultType?.Columns) throw unsupported("A tabular expression inside 'in'");
      const item = this.translate(element);
      if (item.type === 'dynamic') throw unsupported("A dynamic array inside 'in'");
      return item;
    });
    const value = caseInsensitive ? `lower(${textSql(left)})` : fromDynamic(left, items[0]?.type ?? left.type);
    const list = items.map((item) => (caseInsensitive ? `lower(${textSql(item)})` : item.sql));
    const negated = kind === 'NotInExpression' || kind === 'NotInCsExpression';
    return `(${value} ${negated ? 'NOT IN' : 'IN'} (${list.join(', ')}))`;
  }

  private between(node: KSyntaxNode, negated: boolean): string {
    const value = this.child(node, 'Left');
    const range = requireMember(node, 'Right');
    const low = this.child(range, 'First');
    const high = this.child(range, 'Second');
    // between (datetime(…) .. 1d) means up to one day after the start.
    const upper = value.type === 'datetime' && high.type === 'timespan' ? fromMicros(`(${microsOf(low)} + ${microsOf(high)})`, 'datetime') : high.sql;
    return `(${value.sql} ${negated ? 'NOT BETWEEN' : 'BETWEEN'} ${low.sql} AND ${upper})`;
  }

  private dynamicAccess(node: KSyntaxNode): string {
    const selectors: string[] = [];
    let base: KSyntaxNode = node;
    for (;;) {
      const kind = kindOf(base);
      if (kind !== 'PathExpression' && kind !== 'ElementExpression') break;
      selectors.unshift(this.jsonSelector(base, kind));
      base = requireMember(base, 'Expression');
    }
    const root = this.translate(base);
    if (root.type !== 'dynamic') throw unsupported(`The expression '${textOf(node)}'`);
    return `json_extract(${root.sql}, ${this.context.params.text(`$${selectors.join('')}`)})`;
  }

  private jsonSelector(node: KSyntaxNode, kind: string): string {
    const selector = requireMember(node, 'Selector');
    if (kind === 'PathExpression' && kindOf(selector) === 'NameReference') return this.jsonProperty(selector.SimpleName, node);
    const inner = kind === 'ElementExpression' ? member(selector, 'Expression') : null;
    const innerKind = inner ? kindOf(inner) : '';
    if (inner && innerKind === 'StringLiteralExpression') return this.jsonProperty(String(inner.ConstantValue), node);
    if (inner && (innerKind === 'LongLiteralExpression' || innerKind === 'IntLiteralExpression')) {
      const index = BigInt(member(inner, 'Token')?.ValueText ?? '-1');
      if (index >= 0n) return `[${index}]`;
    }
    throw unsupported(`The dynamic accessor in '${textOf(node)}'`);
  }

  private jsonProperty(name: string, node: KSyntaxNode): string {
    if (name.includes('"')) throw unsupported(`The property name in '${textOf(node)}'`);
    return `."${name}"`;
  }

  private call(node: KSyntaxNode, type: TKustoColumnType): string {
    const name = requireMember(node, 'Name').SimpleName;
    const args = listElements(member(requireMember(node, 'ArgumentList'), 'Expressions'));
    const aggregate = Object.hasOwn(AGGREGATES, name) ? AGGREGATES[name] : undefined;
    if (aggregate) {
      if (!this.context.allowAggregates) throw new KustoError('semantic', `Semantic error: the aggregate '${name}' can only be used inside summarize`);
      const inner = this.withoutAggregates();
      return castTo(aggregate(args.map((arg) => inner.translate(arg))), type);
    }
    const scalar = Object.hasOwn(SCALAR_FUNCTIONS, name) ? SCALAR_FUNCTIONS[name] : undefined;
    if (!scalar) throw unsupported(`Function '${name}'`);
    return scalar(args.map((arg) => this.translate(arg)), type, this.context, node);
  }
}

type TAggregate = (args: TSqlExpression[]) => string;

function numericAggregate(fn: string, arg: TSqlExpression, filter?: TSqlExpression): string {
  const where = filter ? ` FILTER (WHERE ${filter.sql})` : '';
  if (arg.type === 'timespan') return `to_microseconds(CAST(${fn}(epoch_us(${arg.sql}))${where} AS BIGINT))`;
  return `${fn}(${arg.sql})${where}`;
}

const AGGREGATES: Record<string, TAggregate> = {
  count: (args) => (args.length ? `count(${args[0].sql})` : 'count(*)'),
  countif: ([predicate]) => `count(*) FILTER (WHERE ${predicate.sql})`,
  sum: ([value]) => numericAggregate('sum', value),
  sumif: ([value, predicate]) => numericAggregate('sum', value, predicate),
  avg: ([value]) => numericAggregate('avg', value),
  avgif: ([value, predicate]) => numericAggregate('avg', value, predicate),
  min: ([value]) => `min(${value.sql})`,
  max: ([value]) => `max(${value.sql})`,
  minif: ([value, predicate]) => `min(${value.sql}) FILTER (WHERE ${predicate.sql})`,
  maxif: ([value, predicate]) => `max(${value.sql}) FILTER (WHERE ${predicate.sql})`,
  dcount: ([value]) => `count(DISTINCT ${value.sql})`,
  dcountif: ([value, predicate]) => `count(DISTINCT ${value.sql}) FILTER (WHERE ${predicate.sql})`,
  stdev: ([value]) => `stddev_samp(${value.sql})`,
  variance: ([value]) => `var_samp(${value.sql})`,
  take_any: (args) => {
    if (args.length !== 1) throw unsupported('take_any() with several arguments');
    return `any_value(${args[0].sql})`;
  },
};
AGGREGATES.any = AGGREGATES.take_any;

type TScalarFunction = (args: TSqlExpression[], type: TKustoColumnType, context: TExpressionContext, node: KSyntaxNode) => string;

function nowSql(context: TExpressionContext): string {
  return `make_timestamp(${bigintSql(context.nowMicros)})`;
}

/** Kusto's bin()/floor(): round down to a multiple of the bin size, for numbers, datetimes and timespans. */
function binSql([value, size]: TSqlExpression[], type: TKustoColumnType): string {
  if (value.type === 'datetime' || value.type === 'timespan') {
    const micros = microsOf(value);
    const step = microsOf(size);
    return fromMicros(`(${micros} - (((${micros} % ${step}) + ${step}) % ${step}))`, type);
  }
  if ((type === 'int' || type === 'long') && (size.type === 'int' || size.type === 'long')) {
    return castTo(`(${value.sql} - (((${value.sql} % ${size.sql}) + ${size.sql}) % ${size.sql}))`, type);
  }
  return castTo(`(floor(${value.sql} / ${size.sql}) * ${size.sql})`, type);
}

function convertNumber([value]: TSqlExpression[], type: TKustoColumnType, node: KSyntaxNode): string {
  const target = duckdbTypeOf(type);
  switch (value.type) {
    case 'string':
      return `TRY_CAST(trim(${value.sql}) AS ${target})`;
    case 'dynamic':
      return `TRY_CAST(json_extract_string(${value.sql}, '$') AS ${target})`;
    case 'real':
    case 'decimal':
      return type === 'real' || type === 'decimal' ? value.sql : `TRY_CAST(trunc(${value.sql}) AS ${target})`;
    case 'bool':
    case 'int':
    case 'long':
      return `TRY_CAST(${value.sql} AS ${target})`;
    default:
      throw unsupported(`'${textOf(node)}'`);
  }
}

function isEmptySql([value]: TSqlExpression[]): string {
  return value.type === 'string' ? `(${value.sql} IS NULL OR ${value.sql} = '')` : `(${value.sql} IS NULL)`;
}

function startOf(unit: string): TScalarFunction {
  return ([value]) => `date_trunc('${unit}', ${value.sql})`;
}

const SCALAR_FUNCTIONS: Record<string, TScalarFunction> = {
  now: (args, _type, context) => (args.length ? fromMicros(`(${context.nowMicros} + ${microsOf(args[0])})`, 'datetime') : nowSql(context)),
  ago: ([span], _type, context) => fromMicros(`(${context.nowMicros} - ${microsOf(span)})`, 'datetime'),
  bin: (args, type) => binSql(args, type),
  floor: (args, type) => binSql(args, type),
  startofday: startOf('day'),
  startofmonth: startOf('month'),
  startofyear: startOf('year'),
  tostring: ([value]) => textSql(value),
  strcat: (args) => `concat(${args.map(textSql).join(', ')})`,
  toint: (args, type, _context, node) => convertNumber(args, type, node),
  tolong: (args, type, _context, node) => convertNumber(args, type, node),
  todouble: (args, type, _context, node) => convertNumber(args, type, node),
  toreal: (args, type, _context, node) => convertNumber(args, type, node),
  todecimal: (args, type, _context, node) => convertNumber(args, type, node),
  tobool: ([value]) =>
    value.type === 'string'
      ? `CASE lower(trim(${value.sql})) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE WHEN '1' THEN TRUE WHEN '0' THEN FALSE END`
      : value.type === 'bool'
        ? value.sql
        : `(${fromDynamic(value, 'real')} <> 0)`,
  strlen: ([value]) => `length(${value.sql})`,
  tolower: ([value]) => `lower(${value.sql})`,
  toupper: ([value]) => `upper(${value.sql})`,
  substring: ([value, start, length]) => `substr(${textSql(value)}, (${start.sql}) + 1${length ? `, ${length.sql}` : ''})`,
  isnull: ([value]) => `(${value.sql} IS NULL)`,
  isnotnull: ([value]) => `(${value.sql} IS NOT NULL)`,
  isempty: (args) => isEmptySql(args),
  isnotempty: (args) => `(NOT ${isEmptySql(args)})`,
  not: ([value]) => `(NOT ${value.sql})`,
  iff: ([condition, then, otherwise], type) => `CASE WHEN ${condition.sql} THEN ${castTo(then.sql, type)} ELSE ${castTo(otherwise.sql, type)} END`,
  case: (args, type) => {
    const pairs: string[] = [];
    for (let i = 0; i + 1 < args.length; i += 2) pairs.push(`WHEN ${args[i].sql} THEN ${castTo(args[i + 1].sql, type)}`);
    return `CASE ${pairs.join(' ')} ELSE ${castTo(args[args.length - 1].sql, type)} END`;
  },
  coalesce: (args, type) => `coalesce(${args.map((arg) => castTo(arg.sql, type)).join(', ')})`,
  abs: ([value], type) => (value.type === 'timespan' ? `to_microseconds(abs(epoch_us(${value.sql})))` : castTo(`abs(${value.sql})`, type)),
  round: ([value, digits], type) => castTo(`round(${value.sql}${digits ? `, CAST(${digits.sql} AS INTEGER)` : ''})`, type),
  sqrt: ([value]) => `sqrt(${value.sql})`,
  exp: ([value]) => `exp(${value.sql})`,
  log: ([value]) => `ln(${value.sql})`,
  log10: ([value]) => `log10(${value.sql})`,
  pow: ([base, exponent]) => `pow(${base.sql}, ${exponent.sql})`,
  parse_json: ([value]) =>
    value.type === 'string' ? `CASE WHEN json_valid(${value.sql}) THEN CAST(${value.sql} AS JSON) ELSE CAST(to_json(${value.sql}) AS JSON) END` : castTo(`to_json(${value.sql})`, 'dynamic'),
  array_length: ([value]) => `CASE WHEN json_type(${value.sql}) = 'ARRAY' THEN json_array_length(${value.sql}) END`,
};
SCALAR_FUNCTIONS.iif = SCALAR_FUNCTIONS.iff;
SCALAR_FUNCTIONS.toboolean = SCALAR_FUNCTIONS.tobool;
SCALAR_FUNCTIONS.todynamic = SCALAR_FUNCTIONS.parse_json;

/** Translates a scalar expression the analyzer has typed; anything unrecognised is refused by name. */
export function translateExpression(node: KSyntaxNode, context: TExpressionContext): TSqlExpression {
  return new ExpressionTranslator(context).translate(node);
}
