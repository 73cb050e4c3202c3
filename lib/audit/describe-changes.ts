/**
 * What an audited change changed, for the audit page: every leaf of `before` and `after` that
 * differs, by dotted path (`target.columns.2.type`), with both values as JSON. Client-safe.
 */
export interface FieldChange {
  path: string;
  before: string | null;
  after: string | null;
}

function leaves(value: unknown, prefix: string, into: Map<string, string>): Map<string, string> {
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) into.set(prefix, JSON.stringify(value));
    for (const [key, child] of entries) leaves(child, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, JSON.stringify(value));
  }
  return into;
}

export function describeChanges(before: unknown, after: unknown): FieldChange[] {
  const old = leaves(before ?? {}, '', new Map());
  const current = leaves(after ?? {}, '', new Map());
  const paths = [...new Set([...old.keys(), ...current.keys()])].sort();
  return paths.filter((path) => old.get(path) !== current.get(path)).map((path) => ({ path, before: old.get(path) ?? null, after: current.get(path) ?? null }));
}
