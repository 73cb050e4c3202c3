import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  BlobDescriptor,
  CompressionType,
  DataFormat,
  IngestionMappingKind,
  IngestionProperties,
  ReportLevel,
  ReportMethod,
  StreamDescriptor,
} from 'azure-kusto-ingest';
import { STREAMING_REQUEST_LIMIT_BYTES, type TIngestionMode } from '../lib/connectors/connector-definition';
import type { KustoClients } from '../lib/kusto/kusto-clients';
import { isTransientTargetError, PermanentTargetError } from '../lib/kusto/target-errors';
import { kustoErrorMessage } from '../lib/kusto/kusto-clients';
import { abortableDelay } from './abortable-delay';
import { firstLine } from './partition-batcher';

const gzipAsync = promisify(gzip);

/**
 * One compression job per batch on libuv's thread pool: level 1 (JSON lines still shrink ~6×)
 * into one output chunk of a quarter of the batch, so a batch costs the event loop a callback or
 * two. The SDK's own gzip stream works in 16 KB steps, each waiting for a turn of an event loop
 * busy consuming, which made a streaming write of a 4 MB batch take ~0.8 s under load instead of
 * ~0.1 s. The chunk follows the batch: the compressed body is a view of it and lives as long as
 * the write, and a fixed 1 MB chunk for ~100 KB of output was most of the worker's allocations
 * with many connectors (145 MB per million events, measured in `npm run bench`).
 */
const GZIP_LEVEL = 1;
const MIN_GZIP_CHUNK_BYTES = 16 * 1024;

function gzipBatch(body: Buffer): Promise<Buffer> {
  return gzipAsync(body, { level: GZIP_LEVEL, chunkSize: Math.max(MIN_GZIP_CHUNK_BYTES, Math.ceil(body.length / 4)) });
}

export interface SinkTarget {
  database: string;
  table: string;
  mappingName: string;
}

/** Which records a batch holds, so retries and failure reports can name them. */
export interface BatchOrigin {
  topic: string;
  partition: number;
  firstOffset: number;
  lastOffset: number;
}

export interface RetryPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
}

/** How a batch reached the target: queryable at once, or a blob the Data Management service will ingest. */
export type WriteReceipt =
  | { path: 'streaming' }
  | { path: 'queued' | 'managed-fallback'; sourceId: string; blobName: string; rawBytes: number; fallbackReason: string | null };

/**
 * A permanent refusal of a batch. `records`: something in the data (malformed, too deep, too
 * large) — narrowing the batch finds the records responsible. `target`: the table, mapping,
 * policy or principal is wrong — every record would be refused, so the connector must stop.
 */
export class RejectedBatchError extends PermanentTargetError {
  constructor(
    message: string,
    readonly scope: 'records' | 'target',
  ) {
    super(message);
    this.name = 'RejectedBatchError';
  }
}

function rejectionScope(error: unknown): 'records' | 'target' {
  const status = (error as { response?: { status?: number } })?.response?.status;
  if (status === undefined || status === 401 || status === 403 || status === 404) return 'target';
  const message = kustoErrorMessage(error);
  return /not found|does not exist|not authorized|forbidden|not enabled|disabled/i.test(message) ? 'target' : 'records';
}

/** ADX refuses streaming into a table (or database) whose streaming policy is off. */
function isStreamingDisabledError(error: unknown): boolean {
  const code = (error as { response?: { data?: { error?: { code?: unknown } } } })?.response?.data?.error?.code;
  const message = `${typeof code === 'string' ? code : ''} ${kustoErrorMessage(error)}`;
  return /StreamingIngestionPolicyNotEnabled|streaming ingestion (?:policy )?(?:is )?not enabled|streaming ingestion is disabled/i.test(message);
}

function isThrottlingError(error: unknown): boolean {
  const candidate = error as { name?: string; response?: { status?: number } };
  return candidate?.name === 'ThrottlingError' || candidate?.response?.status === 429;
}

/**
 * Writes one batch in the connector's ingestion mode. Transient failures are retried with
 * exponential backoff until the signal aborts (the pipeline is stopping), so a batch is never
 * dropped: either the target has it (streamed, or durably queued as a blob), or the caller does
 * not commit its offsets.
 */
export class KustoSink {
  constructor(
    private readonly clients: Pick<KustoClients, 'streamingIngest' | 'queuedIngest'>,
    private readonly target: SinkTarget,
    private readonly mode: TIngestionMode,
    private readonly onRetry: (attempt: number, message: string, origin: BatchOrigin, firstLine: Buffer) => void,
    /** A sentence naming the principal for sign-in and permission failures; undefined for others. */
    private readonly describeAuthError: (error: unknown) => string | undefined = () => undefined,
    private readonly retry: RetryPolicy = { initialDelayMs: 250, maxDelayMs: 15_000 },
  ) {}

  /**
   * `body`: the batch's records as NDJSON. `tagged`: exactly-once queued ingestion — the blob goes with this source id, tagged
   * `ingest-by:<sourceId>` and sent with `ingestIfNotExists` on it, so sending the same range
   * again lands nothing twice.
   */
  async write(body: Buffer, origin: BatchOrigin, signal: AbortSignal, tagged?: { sourceId: string }): Promise<WriteReceipt> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (tagged) return await this.queue(body, 'queued', null, tagged.sourceId);
        return await this.writeOnce(body);
      } catch (error) {
        if (!isTransientTargetError(error)) throw new RejectedBatchError(this.describeAuthError(error) ?? kustoErrorMessage(error), rejectionScope(error));
        this.onRetry(attempt, kustoErrorMessage(error), origin, firstLine(body));
        const delay = Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * 2 ** (attempt - 1));
        await abortableDelay(delay * (0.8 + Math.random() * 0.4), signal);
      }
    }
  }

  private async writeOnce(body: Buffer): Promise<WriteReceipt> {
    if (this.mode === 'queued') return this.queue(body, 'queued', null);
    if (this.mode === 'managed' && body.length > STREAMING_REQUEST_LIMIT_BYTES) {
      return this.queue(body, 'managed-fallback', `the batch is ${body.length} bytes, over the 4 MB streaming limit`);
    }
    try {
      await this.stream(body);
      return { path: 'streaming' };
    } catch (error) {
      // The SDK's managed client falls back on anything but a permanent error; a cluster or table
      // without streaming is the one permanent refusal where queued ingestion still works.
      if (this.mode === 'managed' && (isStreamingDisabledError(error) || isThrottlingError(error) || isTransientTargetError(error))) {
        return this.queue(body, 'managed-fallback', kustoErrorMessage(error));
      }
      throw error;
    }
  }

  /** The name of the blob a queued batch is uploaded as. */
  blobNameFor(sourceId: string): string {
    return `${this.target.database}__${this.target.table}__${sourceId}.json.gz`;
  }

  private properties(queued: boolean, ingestByTag?: string): IngestionProperties {
    return new IngestionProperties({
      database: this.target.database,
      table: this.target.table,
      format: DataFormat.JSON,
      ingestionMappingReference: this.target.mappingName,
      ingestionMappingKind: IngestionMappingKind.JSON,
      // Every blob's outcome comes back on the status queues, so "pending" can become "landed" or "failed".
      ...(queued && { reportLevel: ReportLevel.FailuresAndSuccesses, reportMethod: ReportMethod.Queue }),
      ...(ingestByTag && { ingestByTags: [ingestByTag], ingestIfNotExists: JSON.stringify([ingestByTag]) }),
    });
  }

  private async stream(body: Buffer): Promise<void> {
    // Compressed here (see gzipBatch); the SDK sends a GZIP descriptor's stream as it is.
    const compressed = await gzipBatch(body);
    await this.clients.streamingIngest.ingestFromStream(new StreamDescriptor(Readable.from([compressed]), null, CompressionType.GZIP), this.properties(false));
  }

  /**
   * Uploads the batch as a gzip blob to the service's temp storage and posts it to the ingestion
   * queue, declaring the uncompressed size (ADX seals batches by raw size) and our own source id
   * (the status reports name it). The SDK's `ingestFromStream` would drop both.
   */
  private async queue(body: Buffer, path: 'queued' | 'managed-fallback', fallbackReason: string | null, taggedSourceId?: string): Promise<WriteReceipt> {
    const sourceId = taggedSourceId ?? randomUUID();
    const blobName = this.blobNameFor(sourceId);
    const compressed = await gzipBatch(body);
    const data = compressed.buffer.slice(compressed.byteOffset, compressed.byteOffset + compressed.byteLength) as ArrayBuffer;
    const uri = await this.clients.queuedIngest.uploadToBlobWithRetry(data, blobName);
    await this.clients.queuedIngest.ingestFromBlob(new BlobDescriptor(uri, body.length, sourceId), this.properties(true, taggedSourceId));
    return { path, sourceId, blobName, rawBytes: body.length, fallbackReason };
  }
}
