import type { IngestStatusQueues } from 'azure-kusto-ingest';
import { z } from 'zod';
import type { Db } from '../lib/db/prisma';

/** The fields of ADX's status-queue reports that Kastor reads (the SDK's StatusMessage classes). */
const ZStatusReport = z.object({
  IngestionSourceId: z.string(),
  IngestionSourcePath: z.string().nullish(),
  Details: z.string().nullish(),
  ErrorCode: z.string().nullish(),
  FailureStatus: z.string().nullish(),
});
type TStatusReport = z.infer<typeof ZStatusReport>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Reports can overtake the row that records their blob (the row is written after the queue send). */
const UNMATCHED_GRACE_MS = 60_000;
const REPORTS_PER_POLL = 256;
/** ADX's report for a blob whose ingest-by tag the table already has (error-codes.md). */
const ALREADY_INGESTED = 'Skipped_IngestByTagAlreadyExists';

/**
 * Pops up to REPORTS_PER_POLL reports. The SDK's `pop(n)` takes one message per call from a
 * single status queue (it divides n among the queues, and with one queue asks for 1), so a
 * busy connector's reports would trail by minutes: it is called until the queue is empty.
 */
async function drain(queue: IngestStatusQueues['success']): Promise<unknown[]> {
  const reports: unknown[] = [];
  while (reports.length < REPORTS_PER_POLL) {
    const popped = await queue.pop(REPORTS_PER_POLL - reports.length);
    if (popped.length === 0) break;
    reports.push(...popped);
  }
  return reports;
}

interface Unmatched {
  report: TStatusReport;
  outcome: 'SUCCEEDED' | 'FAILED';
  firstSeen: number;
}

/**
 * Follows the Data Management service's success and failure queues and turns each report into the
 * outcome of the queued blob it names: landed, or failed with the reason in the connector's errors
 * (with the batch's offset range). Several workers may pop the same queues; whichever pops a
 * report applies it, since the blobs' rows are shared in Postgres.
 */
export class IngestionStatusTracker {
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private readonly unmatched = new Map<string, Unmatched>();

  constructor(
    private readonly db: Db,
    private readonly queues: IngestStatusQueues,
    private readonly log: (message: string) => void,
    private readonly intervalMs = 1_000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      if (this.polling) return;
      this.polling = this.poll()
        .catch((error: Error) => this.log(`ingestion status not read: ${error.message}`))
        .finally(() => {
          this.polling = null;
        });
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
  }

  async poll(): Promise<void> {
    const [successes, failures] = await Promise.all([drain(this.queues.success), drain(this.queues.failure)]);
    const now = Date.now();
    for (const [messages, reported] of [[successes, 'SUCCEEDED'], [failures, 'FAILED']] as const) {
      for (const message of messages) {
        const parsed = ZStatusReport.safeParse(message);
        if (!parsed.success) continue;
        // Exactly-once sent a range again and ADX skipped it: its rows are in the table already.
        const outcome = parsed.data.ErrorCode === ALREADY_INGESTED ? 'SUCCEEDED' : reported;
        this.unmatched.set(`${outcome}:${parsed.data.IngestionSourceId}`, { report: parsed.data, outcome, firstSeen: now });
      }
    }
    for (const [key, entry] of this.unmatched) {
      if ((await this.apply(entry.report, entry.outcome)) || now - entry.firstSeen > UNMATCHED_GRACE_MS) this.unmatched.delete(key);
    }
  }

  /** True when the report named one of Kastor's blobs (now updated). */
  private async apply(report: TStatusReport, outcome: 'SUCCEEDED' | 'FAILED'): Promise<boolean> {
    if (!UUID.test(report.IngestionSourceId)) return false;
    const batch = await this.db.ingestionBatch.findUnique({ where: { id: report.IngestionSourceId } });
    if (!batch) return false;
    if (batch.status !== 'PENDING') return true;
    const failure = outcome === 'FAILED' ? [report.ErrorCode, report.Details].filter(Boolean).join(': ') || 'ingestion failed' : null;
    await this.db.$transaction(async (tx) => {
      const updated = await tx.ingestionBatch.updateMany({ where: { id: batch.id, status: 'PENDING' }, data: { status: outcome, failure, completedAt: new Date() } });
      if (updated.count === 0 || outcome === 'SUCCEEDED') return;
      await tx.connectorError.create({
        data: {
          connectorId: batch.connectorId,
          kind: 'ingestion-failed',
          topic: batch.topic,
          partition: batch.partition,
          offset: batch.firstOffset,
          message: `Queued ingestion of ${batch.rows} rows (offsets ${batch.firstOffset}–${batch.lastOffset}, blob ${batch.blobName}) failed${report.FailureStatus ? ` (${report.FailureStatus})` : ''}: ${failure}`,
        },
      });
    });
    return true;
  }
}
