import { z } from 'zod';
import { formatKustoTimespan, parseKustoTimespan } from '../../lib/mapping/kusto-timespan';
import { KustoError } from '../protocol/kusto-error';

/** batching-policy.md: `.alter` with a partial object resets omitted properties to these defaults. */
const DEFAULT_BATCHING_POLICY = { MaximumBatchingTimeSpan: '00:05:00', MaximumNumberOfItems: 500, MaximumRawDataSizeMB: 1024 };

const ZPositiveInteger = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().positive());

const ZPositiveTimespan = z.string().transform((text, ctx) => {
  const ticks = parseKustoTimespan(text);
  if (ticks === null || ticks <= 0n) {
    ctx.addIssue({ code: 'custom', message: `'${text}' is not a positive timespan` });
    return z.NEVER;
  }
  return formatKustoTimespan(ticks);
});

const ZBatchingPolicy = z
  .object({ MaximumBatchingTimeSpan: ZPositiveTimespan, MaximumNumberOfItems: ZPositiveInteger, MaximumRawDataSizeMB: ZPositiveInteger })
  .partial()
  .strict();

const ZStreamingPolicy = z.object({ IsEnabled: z.boolean(), HintAllocatedRate: z.number().positive().nullish() }).partial().strict();

/** Kusto reads policy JSON with case-insensitive property names. */
function canonicalKeys(value: unknown, names: readonly string[]): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [names.find((name) => name.toLowerCase() === key.toLowerCase()) ?? key, member]));
}

function parsePolicyObject<T extends z.ZodType>(text: string, schema: T, names: readonly string[], policyName: string): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KustoError('badRequest', `The ${policyName} policy is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(canonicalKeys(json, names));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
    throw new KustoError('badRequest', `Invalid ${policyName} policy: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The stored JSON of an ingestion batching policy after `.alter` (reset) or `.alter-merge`. */
export function alterBatchingPolicy(text: string, current: string | null, merge: boolean): string {
  const update = parsePolicyObject(text, ZBatchingPolicy, Object.keys(DEFAULT_BATCHING_POLICY), 'ingestion batching');
  const base = merge && current ? (JSON.parse(current) as typeof DEFAULT_BATCHING_POLICY) : DEFAULT_BATCHING_POLICY;
  return JSON.stringify({ ...base, ...update });
}

/** The stored JSON of a streaming ingestion policy: `enable`, `disable` or a policy object. */
export function alterStreamingPolicy(value: string, current: string | null, merge: boolean): string {
  if (value === 'enable' || value === 'disable') return JSON.stringify({ IsEnabled: value === 'enable', HintAllocatedRate: null });
  const update = parsePolicyObject(value, ZStreamingPolicy, ['IsEnabled', 'HintAllocatedRate'], 'streaming ingestion');
  const base = merge && current ? (JSON.parse(current) as Record<string, unknown>) : {};
  const policy = { ...base, ...update };
  if (typeof policy.IsEnabled !== 'boolean') throw new KustoError('badRequest', 'Invalid streaming ingestion policy: IsEnabled is required');
  return JSON.stringify({ IsEnabled: policy.IsEnabled, HintAllocatedRate: policy.HintAllocatedRate ?? null });
}
