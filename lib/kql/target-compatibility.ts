import { z } from 'zod';
import { ZKqlType, ZKustoIdentifier, type TKqlType } from './identifiers';

/**
 * The wizard's check of a table it is about to create or merge into: what it sends and what
 * `POST /api/wizard/check-target` answers. Client-safe: the route and the wizard's hook share it.
 */
export const ZCheckTargetInput = z.object({
  kustoConnectionId: z.string().uuid('must be the id of a Kusto connection'),
  database: ZKustoIdentifier,
  table: ZKustoIdentifier,
  columns: z.array(z.object({ name: ZKustoIdentifier, type: ZKqlType })).min(1, 'needs at least one column'),
});
export type TCheckTargetInput = z.infer<typeof ZCheckTargetInput>;

export interface TargetCompatibility {
  exists: boolean;
  existingColumns: { name: string; type: string }[];
  mappings: { name: string; kind: string }[];
  /** Columns the table lacks; `.create-merge` adds them without touching existing data. */
  additions: { name: string; type: TKqlType }[];
  /** Columns whose type differs: `.create-merge` cannot change a type, so these block creation. */
  conflicts: { column: string; existingType: string; wantedType: TKqlType; message: string }[];
  mergeCommand: string | null;
}
