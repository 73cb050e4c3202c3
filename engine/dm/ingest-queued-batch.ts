import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { BlobClient, RestError } from '@azure/storage-blob';
import type { TKustoValue } from '../../lib/mapping/types';
import { appendExtent, mapIngestRecords, parseIngestData, requireIngestionTable, type TMappingChoice, type TParsedData } from '../ingest/ingest-stream';
import { describeIngestionFailure, IngestionError, type TIngestionFailureCause } from '../ingest/ingestion-error';
import type { TStore } from '../storage/open-store';
import { existingExtentTags } from '../storage/catalog';
import { blobTags, type TIngestionBlobInfo } from './ingestion-message';
import type { TBlobOutcome } from './status-reports';
import type { TStorageAccount } from './storage-account';

const gunzip = promisify(zlib.gunzip);

/** A blob taken from the ingestion queue, waiting in a batch. */
export interface TQueuedBlob {
  info: TIngestionBlobInfo;
  rawBytes: number;
  messageId: string;
  popReceipt: string;
}

export function blobPathWithoutSas(blobPath: string): string {
  return blobPath.split(/[?;]/)[0];
}

/** Our own account's blobs are read with its key; anything else with the SAS the path carries. */
export function blobClientFor(account: TStorageAccount, blobPath: string): BlobClient {
  const bare = blobPathWithoutSas(blobPath);
  if (bare.startsWith(`${account.blobEndpoint}/`)) {
    const [container, ...name] = bare.slice(account.blobEndpoint.length + 1).split('/');
    return account.blobs.getContainerClient(container).getBlobClient(decodeURIComponent(name.join('/')));
  }
  return new BlobClient(blobPath);
}

function downloadFailure(error: unknown): IngestionError {
  const status = error instanceof RestError ? error.statusCode : undefined;
  if (status === 404) return new IngestionError('notFound', `Failed to download the blob: not found (${(error as Error).message})`, 'Download_SourceNotFound');
  if (status === 403) return new IngestionError('badRequest', 'Failed to download the blob: access forbidden', 'Download_Forbidden');
  return new IngestionError('internal', `Failed to download the blob: ${(error as Error)?.message ?? String(error)}`, 'Download_UnknownError');
}

async function readBlob(account: TStorageAccount, blob: TQueuedBlob): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await blobClientFor(account, blob.info.BlobPath).downloadToBuffer();
  } catch (error) {
    throw downloadFailure(error);
  }
  if (data.length === 0) throw new IngestionError('badRequest', 'The blob is empty', 'BadRequest_EmptyBlob');
  const name = blobPathWithoutSas(blob.info.BlobPath).toLowerCase();
  // Compression is told by the blob's name, as ADX does (ingestion-supported-formats.md).
  if (name.endsWith('.zip')) throw new IngestionError('unsupported', 'Zip archives are not supported by the local Kusto engine', 'BadRequest_FormatNotSupported');
  if (!name.endsWith('.gz')) return data;
  try {
    return await gunzip(data);
  } catch (error) {
    throw new IngestionError('badRequest', `The blob is not a valid gzip archive: ${(error as Error).message}`, 'BadRequest_InvalidArchive');
  }
}

function mappingChoice(info: TIngestionBlobInfo): TMappingChoice {
  const properties = info.AdditionalProperties ?? {};
  if (properties.ingestionMapping && properties.ingestionMappingReference) {
    throw new IngestionError('badRequest', 'Ingestion properties include both ingestionMapping and ingestionMappingReference', 'BadRequest_DuplicateMapping');
  }
  if (properties.ingestionMapping) return { kind: 'inline', text: properties.ingestionMapping };
  if (properties.ingestionMappingReference) return { kind: 'reference', name: properties.ingestionMappingReference };
  return { kind: 'identity' };
}

interface TPreparedBlob {
  blob: TQueuedBlob;
  parsed: TParsedData;
  mapping: TMappingChoice;
  tags: string[];
  ingestIfNotExists: string[];
}

/** error-codes.md, "Other non errors": the data is already in the table under this ingest-by tag. */
const SKIPPED_ALREADY_INGESTED: TIngestionFailureCause = {
  errorCode: 'Skipped_IngestByTagAlreadyExists',
  details: 'Another stream with the same ingest-by tag was already ingested',
  permanent: true,
  skipped: true,
};

function tagsOf(blob: TQueuedBlob): { tags: string[]; ingestIfNotExists: string[] } {
  try {
    return blobTags(blob.info);
  } catch (error) {
    throw new IngestionError('badRequest', `Invalid ingestion properties: ${(error as Error).message}`, 'BadRequest_InvalidIngestionProperties');
  }
}

async function prepareBlob(account: TStorageAccount, blob: TQueuedBlob): Promise<TPreparedBlob> {
  const properties = blob.info.AdditionalProperties ?? {};
  const mapping = mappingChoice(blob.info);
  const { tags, ingestIfNotExists } = tagsOf(blob);
  const data = await readBlob(account, blob);
  // kusto-ingest-client-rest.md: the format defaults to CSV.
  const parsed = parseIngestData(properties.format ?? 'csv', data, { ignoreFirstRecord: properties.ignoreFirstRecord });
  if (parsed.records.length === 0) throw new IngestionError('badRequest', 'Found no data to ingest', 'Stream_NoDataToIngest');
  return { blob, parsed, mapping, tags, ingestIfNotExists };
}

/**
 * Ingests one sealed batch (one table, one set of ingestion properties) as one extent. A blob
 * that cannot be read, parsed or mapped fails on its own; the others still land. A blob whose
 * `ingestIfNotExists` names an ingest-by tag the table already has — or that an earlier blob of
 * this batch brings — is skipped, so a client that sends the same tagged data twice lands it once.
 */
export async function ingestQueuedBatch(store: TStore, account: TStorageAccount, blobs: readonly TQueuedBlob[]): Promise<TBlobOutcome[]> {
  const failures = new Map<TQueuedBlob, TIngestionFailureCause>();
  const prepared: TPreparedBlob[] = [];
  for (const blob of blobs) {
    try {
      prepared.push(await prepareBlob(account, blob));
    } catch (error) {
      failures.set(blob, describeIngestionFailure(error));
    }
  }
  if (prepared.length > 0) {
    const { DatabaseName: database, TableName: tableName } = prepared[0].blob.info;
    try {
      await store.write(async (connection) => {
        let table = await requireIngestionTable(connection, database, tableName);
        const rows: TKustoValue[][] = [];
        let originalSize = 0;
        const wanted = [...new Set(prepared.flatMap((blob) => blob.ingestIfNotExists.map((value) => `ingest-by:${value}`)))];
        const present = await existingExtentTags(connection, table, wanted);
        const extentTags = new Set<string>();
        for (const { blob, parsed, mapping, tags, ingestIfNotExists } of prepared) {
          if (ingestIfNotExists.some((value) => present.has(`ingest-by:${value}`))) {
            failures.set(blob, SKIPPED_ALREADY_INGESTED);
            continue;
          }
          try {
            const mapped = await mapIngestRecords(connection, table, parsed, mapping, blobPathWithoutSas(blob.info.BlobPath));
            table = mapped.table;
            // One push per row: spreading a blob's rows into push() overflows the stack past ~120,000.
            for (const row of mapped.rows) rows.push(row);
            originalSize += blob.rawBytes;
            for (const tag of tags) {
              extentTags.add(tag);
              if (tag.startsWith('ingest-by:')) present.add(tag);
            }
          } catch (error) {
            failures.set(blob, describeIngestionFailure(error));
          }
        }
        // A mapping may have appended columns after earlier blobs were mapped: those rows get nulls there.
        const width = table.columns.length;
        await appendExtent(connection, table, rows.map((row) => (row.length < width ? [...row, ...new Array<TKustoValue>(width - row.length).fill(null)] : row)), originalSize, [...extentTags]);
      });
    } catch (error) {
      const cause = describeIngestionFailure(error);
      for (const { blob } of prepared) if (!failures.has(blob)) failures.set(blob, cause);
    }
  }
  const at = new Date();
  const rootActivityId = randomUUID();
  return blobs.map((blob) => ({
    info: blob.info,
    operationId: randomUUID(),
    rootActivityId,
    sourcePath: blobPathWithoutSas(blob.info.BlobPath),
    at,
    failure: failures.get(blob) ?? null,
  }));
}
