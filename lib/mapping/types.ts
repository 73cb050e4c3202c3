import { z } from 'zod';
import { JsonPathError, parseJsonPath } from './json-path';

export const KUSTO_COLUMN_TYPES = ['bool', 'int', 'long', 'real', 'decimal', 'string', 'datetime', 'timespan', 'guid', 'dynamic'] as const;
export const ZKustoColumnType = z.enum(KUSTO_COLUMN_TYPES);
export type TKustoColumnType = z.infer<typeof ZKustoColumnType>;

export interface TKustoColumn {
  name: string;
  type: TKustoColumnType;
}

/** Synonyms Kusto accepts in schemas and mappings (scalar-data-types/index.md). */
const TYPE_ALIASES: Record<string, TKustoColumnType> = {
  boolean: 'bool',
  date: 'datetime',
  time: 'timespan',
  double: 'real',
  uuid: 'guid',
  uniqueid: 'guid',
};

/** The canonical Kusto type for a type name or alias (case-insensitive); null if unknown. */
export function normalizeKustoType(name: string): TKustoColumnType | null {
  const lower = name.trim().toLowerCase();
  const parsed = ZKustoColumnType.safeParse(lower);
  if (parsed.success) return parsed.data;
  return Object.hasOwn(TYPE_ALIASES, lower) ? TYPE_ALIASES[lower] : null;
}

export type TJsonValue = null | boolean | number | bigint | string | TJsonValue[] | { [key: string]: TJsonValue };

/**
 * A value after conversion to a column type:
 * bool → boolean; int, real, decimal → number; long → bigint (exact beyond 2^53);
 * string → string; datetime → ISO 8601 text with 7 fractional digits and `Z` (Kusto's 100 ns
 * precision, the form Kusto itself returns); timespan → `[-][d.]hh:mm:ss[.fffffff]`;
 * guid → lower-case text; dynamic → the JSON value; null when absent or unconvertible.
 */
export type TKustoValue = TJsonValue;

export const JSON_MAPPING_TRANSFORMS = [
  'DateTimeFromUnixSeconds',
  'DateTimeFromUnixMilliseconds',
  'DateTimeFromUnixMicroseconds',
  'DateTimeFromUnixNanoseconds',
  'PropertyBagArrayToDictionary',
  'DropMappedFields',
  'SourceLocation',
  'SourceLineNumber',
] as const;
export type TJsonMappingTransform = (typeof JSON_MAPPING_TRANSFORMS)[number];

/** One mapping element in normalised form: exactly one of `path`, `constValue` or a source transform supplies the value. */
export interface TJsonMappingElement {
  column: string;
  datatype?: TKustoColumnType;
  path?: string;
  constValue?: string;
  transform?: TJsonMappingTransform;
}

const ZPropertyValue = z
  .union([z.string(), z.number(), z.boolean()])
  .nullish()
  .transform((value) => (value === null || value === undefined ? undefined : String(value)));

/** Kusto reads mapping keys case-insensitively: `Column`/`column`, `DataType`/`Datatype`/`datatype`, … */
function lowerCaseKeys(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).map(([key, value]) => [key.toLowerCase(), value]));
}

const ZRawProperties = z.preprocess(
  lowerCaseKeys,
  z.object({ path: ZPropertyValue, transform: ZPropertyValue, constvalue: ZPropertyValue }),
);

const ZRawElement = z.preprocess(
  lowerCaseKeys,
  z.object({
    column: z.string().min(1, 'Column is required'),
    datatype: ZPropertyValue,
    properties: ZRawProperties.optional(),
    path: ZPropertyValue,
    transform: ZPropertyValue,
    constvalue: ZPropertyValue,
  }),
);

const SOURCE_TRANSFORMS: readonly TJsonMappingTransform[] = ['SourceLocation', 'SourceLineNumber'];

/**
 * A JSON mapping element in ADX's form `{Column, Datatype?, Properties: {Path, Transform?, ConstValue?}}`
 * or the legacy flat form `{column, path, datatype, transform}` (create-ingestion-mapping-command.md).
 */
export const ZJsonMappingElement = ZRawElement.transform((raw, ctx): TJsonMappingElement => {
  const element: TJsonMappingElement = { column: raw.column };
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message: `Mapping of column '${raw.column}': ${message}` });
    return z.NEVER;
  };

  if (raw.datatype !== undefined && raw.datatype !== '') {
    const datatype = normalizeKustoType(raw.datatype);
    if (!datatype) return fail(`unknown Datatype '${raw.datatype}'`);
    element.datatype = datatype;
  }

  const transformName = raw.properties?.transform ?? raw.transform;
  if (transformName !== undefined && transformName !== '' && transformName.toLowerCase() !== 'none') {
    const transform = JSON_MAPPING_TRANSFORMS.find((name) => name.toLowerCase() === transformName.toLowerCase());
    if (!transform) return fail(`unknown Transform '${transformName}'`);
    element.transform = transform;
  }

  const path = raw.properties?.path ?? raw.path;
  const constValue = raw.properties?.constvalue ?? raw.constvalue;
  if (path !== undefined && path !== '') {
    // json-mapping.md: a Path that does not start with '$' is a constant.
    if (!path.startsWith('$')) {
      element.constValue = path;
    } else {
      try {
        parseJsonPath(path);
      } catch (error) {
        if (error instanceof JsonPathError) return fail(error.message);
        throw error;
      }
      element.path = path;
    }
  }
  if (constValue !== undefined) {
    if (element.path !== undefined) return fail('give either Path or ConstValue, not both');
    element.constValue = constValue;
  }

  const fromSource = element.transform !== undefined && SOURCE_TRANSFORMS.includes(element.transform);
  if (fromSource && (element.path !== undefined || element.constValue !== undefined)) {
    return fail(`Transform ${element.transform} takes no Path or ConstValue`);
  }
  if (!fromSource && element.path === undefined && element.constValue === undefined) {
    return fail('a Path or ConstValue is required');
  }
  if (element.constValue !== undefined && element.transform !== undefined) {
    return fail('a ConstValue cannot be transformed');
  }
  return element;
});

export const ZJsonMapping = z
  .array(ZJsonMappingElement)
  .min(1, 'A mapping needs at least one column')
  .superRefine((elements, ctx) => {
    const seen = new Set<string>();
    for (const element of elements) {
      if (seen.has(element.column)) ctx.addIssue({ code: 'custom', message: `Column '${element.column}' is mapped more than once` });
      seen.add(element.column);
    }
  });

export type TJsonMapping = TJsonMappingElement[];

/** The canonical ADX text of a mapping, as `.show … ingestion mappings` returns it. */
export function formatJsonMapping(mapping: readonly TJsonMappingElement[]): string {
  return JSON.stringify(
    mapping.map((element) => {
      const properties: Record<string, string> = {};
      if (element.path !== undefined) properties.Path = element.path;
      if (element.constValue !== undefined) properties.ConstValue = element.constValue;
      if (element.transform !== undefined) properties.Transform = element.transform;
      return element.datatype ? { Column: element.column, Datatype: element.datatype, Properties: properties } : { Column: element.column, Properties: properties };
    }),
  );
}
