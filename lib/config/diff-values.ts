import type { ValueChange } from './config-document';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Leaf-level differences between two JSON values, as dotted paths (`target.columns.2.type`).
 * Arrays are compared index by index; a length change shows as added or removed entries.
 */
export function diffValues(before: unknown, after: unknown, path = ''): ValueChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffValues(before[key], after[key], path ? `${path}.${key}` : key));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    return Array.from({ length: Math.max(before.length, after.length) }, (_, index) => diffValues(before[index], after[index], `${path}.${index}`)).flat();
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path || '(root)', before: before ?? null, after: after ?? null }];
}
