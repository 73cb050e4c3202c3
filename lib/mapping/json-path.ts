/**
 * The JSONPath subset Kusto mappings accept (kusto/query/jsonpath.md): `$`, `.name`,
 * `['name']` / `["name"]` and `[n]` (0-based). No wildcards, recursion, unions, slices or `@`.
 */

export type TJsonPathSegment = { kind: 'property'; name: string } | { kind: 'index'; index: number };

export class JsonPathError extends Error {
  constructor(path: string, problem: string) {
    super(`Invalid JSONPath '${path}': ${problem}`);
    this.name = 'JsonPathError';
  }
}

function readQuoted(path: string, start: number): { name: string; end: number } {
  const quote = path[start];
  let name = '';
  for (let i = start + 1; i < path.length; i++) {
    const char = path[i];
    if (char === '\\' && i + 1 < path.length) {
      name += path[++i];
    } else if (char === quote) {
      return { name, end: i + 1 };
    } else {
      name += char;
    }
  }
  throw new JsonPathError(path, 'unterminated quoted name');
}

export function parseJsonPath(path: string): TJsonPathSegment[] {
  if (!path.startsWith('$')) throw new JsonPathError(path, "it must start with '$'");
  const segments: TJsonPathSegment[] = [];
  let i = 1;
  while (i < path.length) {
    const char = path[i];
    if (char === '.') {
      if (path[i + 1] === '.') throw new JsonPathError(path, 'recursive descent (..) is not supported');
      let end = i + 1;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
      const name = path.slice(i + 1, end);
      if (name === '') throw new JsonPathError(path, `empty name at position ${i + 1}`);
      if (name === '*') throw new JsonPathError(path, 'wildcards are not supported');
      segments.push({ kind: 'property', name });
      i = end;
    } else if (char === '[') {
      const next = path[i + 1];
      if (next === "'" || next === '"') {
        const { name, end } = readQuoted(path, i + 1);
        if (path[end] !== ']') throw new JsonPathError(path, `expected ']' at position ${end}`);
        segments.push({ kind: 'property', name });
        i = end + 1;
      } else {
        const close = path.indexOf(']', i);
        const inner = close === -1 ? '' : path.slice(i + 1, close);
        if (!/^\d+$/.test(inner)) {
          throw new JsonPathError(path, `only quoted names and non-negative indexes are allowed in brackets, got '[${inner}'`);
        }
        segments.push({ kind: 'index', index: Number(inner) });
        i = close + 1;
      }
    } else {
      throw new JsonPathError(path, `unexpected '${char}' at position ${i}`);
    }
  }
  return segments;
}

export type TJsonPathLookup = { found: true; value: unknown } | { found: false };

export function readJsonPath(document: unknown, segments: readonly TJsonPathSegment[]): TJsonPathLookup {
  let current = document;
  for (const segment of segments) {
    if (segment.kind === 'index') {
      if (!Array.isArray(current) || segment.index >= current.length) return { found: false };
      current = current[segment.index];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, segment.name)) {
        return { found: false };
      }
      current = (current as Record<string, unknown>)[segment.name];
    }
  }
  return { found: true, value: current };
}

/** `$['name']` for a column name, escaped so any name survives. */
export function propertyPath(name: string): string {
  return `$['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}
