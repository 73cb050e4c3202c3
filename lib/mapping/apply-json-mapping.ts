import { convertToKustoType, describeValue } from './convert-value';
import { parseJsonPath, propertyPath, readJsonPath, type TJsonPathSegment } from './json-path';
import { formatKustoDatetime, ticksFromUnix, type TUnixUnit } from './kusto-datetime';
import type { TJsonMappingElement, TJsonMappingTransform, TKustoColumn, TKustoValue } from './types';

export interface TMappingContext {
  /** SourceLocation: the name of the data's origin (blob, file, topic). */
  sourceLocation?: string;
  /** SourceLineNumber: the record's 1-based position in its source. */
  lineNumber?: number;
}

export interface TMappedRecord {
  /** One value per table column, in the columns' order. */
  values: TKustoValue[];
  /** Why a column ended up null when the source did not simply hold null. */
  nulls: { column: string; reason: string }[];
}

export type TSourceValue = { ok: true; value: unknown } | { ok: false; reason: string };

const UNIX_UNITS: Partial<Record<TJsonMappingTransform, TUnixUnit>> = {
  DateTimeFromUnixSeconds: 'seconds',
  DateTimeFromUnixMilliseconds: 'milliseconds',
  DateTimeFromUnixMicroseconds: 'microseconds',
  DateTimeFromUnixNanoseconds: 'nanoseconds',
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** mappings.md: `[{"n1":"v1"},{"n2":"v2"}]` → `{"n1":"v1","n2":"v2"}`. */
function propertyBagArrayToDictionary(value: unknown): TSourceValue {
  if (!Array.isArray(value) || !value.every(isPlainObject)) {
    return { ok: false, reason: `PropertyBagArrayToDictionary needs an array of objects, got ${describeValue(value)}` };
  }
  return { ok: true, value: Object.assign({}, ...value) };
}

function withoutPath(value: unknown, path: readonly TJsonPathSegment[]): unknown {
  if (path.length === 0 || !isPlainObject(value)) return value;
  const [head, ...rest] = path;
  if (head.kind !== 'property' || !Object.hasOwn(value, head.name)) return value;
  const copy = { ...value };
  if (rest.length === 0) delete copy[head.name];
  else copy[head.name] = withoutPath(copy[head.name], rest);
  return copy;
}

interface TCompiledElement {
  element: TJsonMappingElement;
  segments: TJsonPathSegment[] | null;
  /** DropMappedFields: paths of the other columns, relative to this element's object. */
  droppedPaths: TJsonPathSegment[][];
}

function startsWith(path: readonly TJsonPathSegment[], prefix: readonly TJsonPathSegment[]): boolean {
  return (
    path.length > prefix.length &&
    prefix.every((segment, i) => {
      const other = path[i];
      return segment.kind === 'property' ? other.kind === 'property' && other.name === segment.name : other.kind === 'index' && other.index === segment.index;
    })
  );
}

function compileElements(mapping: readonly TJsonMappingElement[]): Map<string, TCompiledElement> {
  const parsed = mapping.map((element) => ({ element, segments: element.path === undefined ? null : parseJsonPath(element.path) }));
  const byColumn = new Map<string, TCompiledElement>();
  for (const { element, segments } of parsed) {
    const droppedPaths =
      element.transform === 'DropMappedFields' && segments
        ? parsed.flatMap((other) => (other.element !== element && other.segments && startsWith(other.segments, segments) ? [other.segments.slice(segments.length)] : []))
        : [];
    byColumn.set(element.column, { element, segments, droppedPaths });
  }
  return byColumn;
}

function sourceValue(compiled: TCompiledElement, record: unknown, context: TMappingContext): TSourceValue {
  const { element, segments } = compiled;
  if (element.constValue !== undefined) return { ok: true, value: element.constValue };
  if (element.transform === 'SourceLocation') return { ok: true, value: context.sourceLocation ?? null };
  if (element.transform === 'SourceLineNumber') return { ok: true, value: context.lineNumber ?? null };
  const lookup = readJsonPath(record, segments ?? []);
  if (!lookup.found) return { ok: false, reason: `field missing at ${element.path}` };
  return transformValue(compiled, lookup.value);
}

function transformValue(compiled: TCompiledElement, value: unknown): TSourceValue {
  const { transform } = compiled.element;
  if (transform === undefined || value === null) return { ok: true, value };
  const unit = UNIX_UNITS[transform];
  if (unit) {
    const ticks = ticksFromUnix(value, unit);
    if (ticks === null) return { ok: false, reason: `${transform} needs a number of ${unit} since 1970-01-01, got ${describeValue(value)}` };
    return { ok: true, value: formatKustoDatetime(ticks) };
  }
  if (transform === 'PropertyBagArrayToDictionary') return propertyBagArrayToDictionary(value);
  if (transform === 'DropMappedFields') return { ok: true, value: compiled.droppedPaths.reduce(withoutPath, value) };
  return { ok: true, value };
}

/** What a column's mapping element takes from a record: the value after its transform, before conversion to the column's type. */
export type TColumnSource = (record: unknown, context: TMappingContext) => TSourceValue;

/**
 * Prepares a mapping once for many records: the source of each column, in the columns' order, or
 * null for a column without a mapping element (it stays null). Elements for columns not in
 * `columns` are ignored.
 */
export function compileColumnSources(mapping: readonly TJsonMappingElement[], columns: readonly TKustoColumn[]): (TColumnSource | null)[] {
  const elements = compileElements(mapping);
  return columns.map((column) => {
    const compiled = elements.get(column.name);
    return compiled ? (record, context) => sourceValue(compiled, record, context) : null;
  });
}

/**
 * Prepares a mapping once for many records. Columns without a mapping element stay null, and
 * elements for columns not in `columns` are ignored.
 */
export function compileJsonMapping(
  mapping: readonly TJsonMappingElement[],
  columns: readonly TKustoColumn[],
): (record: unknown, context?: TMappingContext) => TMappedRecord {
  const sources = compileColumnSources(mapping, columns);
  return (record, context = {}) => {
    const values: TKustoValue[] = [];
    const nulls: TMappedRecord['nulls'] = [];
    columns.forEach((column, index) => {
      const source = sources[index];
      if (!source) {
        values.push(null);
        nulls.push({ column: column.name, reason: 'no mapping for this column' });
        return;
      }
      const value = source(record, context);
      const converted = value.ok ? convertToKustoType(value.value, column.type) : value;
      values.push(converted.ok ? converted.value : null);
      if (!converted.ok) nulls.push({ column: column.name, reason: converted.reason });
    });
    return { values, nulls };
  };
}

/** Applies a JSON ingestion mapping to one record the way Kusto ingestion would. */
export function applyJsonMapping(
  record: unknown,
  mapping: readonly TJsonMappingElement[],
  columns: readonly TKustoColumn[],
  context?: TMappingContext,
): TMappedRecord {
  return compileJsonMapping(mapping, columns)(record, context);
}

/** Kusto's mapping when none is named: each column from the field of the same name, case-sensitive (mappings.md). */
export function identityJsonMapping(columns: readonly TKustoColumn[]): TJsonMappingElement[] {
  return columns.map((column) => ({ column: column.name, path: propertyPath(column.name) }));
}
