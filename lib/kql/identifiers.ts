import { z } from 'zod';

/**
 * Kusto allows spaces, dots and dashes in entity names when bracket-quoted, but every name that
 * reaches generated KQL here is restricted to the portable subset, then quoted anyway.
 */
export const ZKustoIdentifier = z
  .string()
  .min(1, 'is required')
  .max(256, 'must be at most 256 characters')
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must start with a letter or _ and contain only letters, digits and _');

export const KQL_TYPES = ['bool', 'int', 'long', 'real', 'decimal', 'string', 'datetime', 'timespan', 'guid', 'dynamic'] as const;
export const ZKqlType = z.enum(KQL_TYPES);
export type TKqlType = z.infer<typeof ZKqlType>;

/** `['name']` — safe for any validated identifier and immune to KQL keywords. */
export function quoteIdentifier(name: string): string {
  ZKustoIdentifier.parse(name);
  return `['${name}']`;
}

/** A KQL string literal; single quotes and backslashes escaped. */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r?\n/g, '\\n')}'`;
}
