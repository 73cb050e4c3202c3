import { Readable } from 'node:stream';
import { DataFormat, IngestionMappingKind, IngestionProperties, type StreamingIngestClient } from 'azure-kusto-ingest';
import { isTransientTargetError, PermanentTargetError } from '../lib/kusto/target-errors';
import { kustoErrorMessage } from '../lib/kusto/kusto-clients';
import { abortableDelay } from './abortable-delay';

export interface SinkTarget {
  database: string;
  table: string;
  mappingName: string;
}

/** Which records a batch holds, so retries can name them. */
export interface BatchOrigin {
  topic: string;
  partition: number;
  lastOffset: number;
}

export interface RetryPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * Writes one batch through streaming ingestion. Transient failures are retried with exponential
 * backoff until the signal aborts (the pipeline is stopping), so a batch is never dropped: either
 * the target accepted it, or the caller does not commit its offsets.
 */
export class KustoSink {
  constructor(
    private readonly client: StreamingIngestClient,
    private readonly target: SinkTarget,
    private readonly onRetry: (attempt: number, message: string, origin: BatchOrigin, firstLine: string) => void,
    private readonly retry: RetryPolicy = { initialDelayMs: 250, maxDelayMs: 15_000 },
  ) {}

  async write(lines: string[], origin: BatchOrigin, signal: AbortSignal): Promise<void> {
    const body = Buffer.from(lines.join('\n'), 'utf8');
    const properties = new IngestionProperties({
      database: this.target.database,
      table: this.target.table,
      format: DataFormat.JSON,
      ingestionMappingReference: this.target.mappingName,
      ingestionMappingKind: IngestionMappingKind.JSON,
    });
    for (let attempt = 1; ; attempt++) {
      try {
        // The SDK pipes its input through gzip, so a Buffer must be wrapped in a stream.
        await this.client.ingestFromStream(Readable.from([body]), properties);
        return;
      } catch (error) {
        if (!isTransientTargetError(error)) throw new PermanentTargetError(kustoErrorMessage(error));
        this.onRetry(attempt, kustoErrorMessage(error), origin, lines[0]);
        const delay = Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * 2 ** (attempt - 1));
        await abortableDelay(delay * (0.8 + Math.random() * 0.4), signal);
      }
    }
  }
}
