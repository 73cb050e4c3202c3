import { z } from 'zod';

/**
 * The queued-ingestion message a client puts on the SecuredReadyForAggregationQueue: base64 of
 * the JSON of azure-kusto-ingest's IngestionBlobInfo (ingestionBlobInfo.ts; field meanings in
 * kusto/api/netfx/kusto-ingest-client-rest.md).
 */

export const REPORT_LEVEL = { FailuresOnly: 0, DoNotReport: 1, FailuresAndSuccesses: 2 } as const;
export const REPORT_METHOD = { Queue: 0, Table: 1, QueueAndTable: 2 } as const;

/** Booleans arrive as JSON booleans from the SDK and as "true"/"false" strings from some tools. */
const ZLooseBoolean = z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False']).transform((text) => text.toLowerCase() === 'true')]);

const ZAdditionalProperties = z
  .object({
    format: z.string().optional(),
    ingestionMappingReference: z.string().optional(),
    /** The inline mapping, itself a JSON string ("server expects a string", ingestionBlobInfo.ts). */
    ingestionMapping: z.string().optional(),
    ingestionMappingType: z.string().optional(),
    ignoreFirstRecord: ZLooseBoolean.optional(),
    /** A JSON array string of extent tags (drop-by:…, ingest-by:…). */
    tags: z.string().optional(),
    ingestIfNotExists: z.unknown().optional(),
    authorizationContext: z.string().nullish(),
  })
  .loose();

const ZStatusInTable = z
  .object({ tableConnectionString: z.string().optional(), partitionKey: z.string().min(1), rowKey: z.string().min(1) })
  .loose();

export const ZIngestionBlobInfo = z
  .object({
    BlobPath: z.string().min(1, 'BlobPath is required'),
    RawDataSize: z.number().nonnegative().nullish(),
    DatabaseName: z.string().min(1, 'DatabaseName is required'),
    TableName: z.string().min(1, 'TableName is required'),
    FlushImmediately: ZLooseBoolean.nullish(),
    ReportLevel: z.number().int().min(0).max(2).nullish(),
    ReportMethod: z.number().int().min(0).max(2).nullish(),
    Id: z.string().min(1),
    SourceMessageCreationTime: z.string().nullish(),
    IngestionStatusInTable: ZStatusInTable.nullish(),
    AdditionalProperties: ZAdditionalProperties.nullish(),
  })
  .loose();

export type TIngestionBlobInfo = z.infer<typeof ZIngestionBlobInfo>;

const ZTagList = z.array(z.string().min(1));

function tagList(value: unknown, property: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      throw new Error(`${property} must be a JSON array of strings`);
    }
  }
  const parsed = ZTagList.safeParse(list);
  if (!parsed.success) throw new Error(`${property} must be a JSON array of strings`);
  return parsed.data;
}

/**
 * The extent tags a blob's data is to carry, and the ingest-by tag values that skip it when the
 * table already has them (extent-tags.md: `tags`, `ingestIfNotExists`, both JSON arrays).
 * Throws on a malformed list, naming the property.
 */
export function blobTags(info: TIngestionBlobInfo): { tags: string[]; ingestIfNotExists: string[] } {
  const properties = info.AdditionalProperties ?? {};
  return { tags: tagList(properties.tags, 'tags'), ingestIfNotExists: tagList(properties.ingestIfNotExists, 'ingestIfNotExists') };
}

export type TParsedMessage = { ok: true; info: TIngestionBlobInfo } | { ok: false; problem: string };

export function parseIngestionMessage(messageText: string): TParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(messageText, 'base64').toString('utf8'));
  } catch {
    return { ok: false, problem: 'the message is not base64-encoded JSON' };
  }
  const parsed = ZIngestionBlobInfo.safeParse(json);
  if (!parsed.success) return { ok: false, problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`).join('; ') };
  return { ok: true, info: parsed.data };
}
