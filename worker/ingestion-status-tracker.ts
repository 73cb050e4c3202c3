import { QueueClient } from '@azure/storage-queue';
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

function parseReport(text: string): TStatusReport | null {
  try {
    const parsed = ZStatusReport.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Reports can overtake the row that records their blob (the row is written after the queue send). */
const UNMATCHED_GRACE_MS = 60_000;
const REPORTS_PER_POLL = 256;
/** Azure Storage hands out at most 32 messages per receive. */
const MESSAGES_PER_RECEIVE = 32;
/**
 * A received report stays invisible this long. It is deleted only once its outcome is in
 * Postgres, so a worker that dies holding reports loses none: they come back to whoever polls next.
 */
const VISIBILITY_TIMEOUT_S = 15;
/** ADX's report for a blob whose ingest-by tag the table already has (error-codes.md). */
const ALREADY_INGESTED = 'Skipped_IngestByTagAlreadyExists';

interface Received {
  client: QueueClient;
  messageId: string;
  popReceipt: string;
  text: string;
}

/**
 * Follows the Data Management service's success and failure queues and turns each report into the
 * outcome of the queued blob it names: landed, or failed with the reason in the connector's errors
 * (with the batch's offset range). Several workers may read the same queues; whichever receives a
 * report applies it, since the blobs' rows are shared in Postgres. A report is deleted from its
 * queue only after it is applied (applying twice changes nothing), never on receipt as the SDK's
 * `pop` does, and a report naming no blob yet is left for later until its grace runs out.
 */
export class IngestionStatusTracker {
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private readonly clients = new Map<string, QueueClient>();
  /** When each report that named no blob was first seen, by message id. */
  private readonly unmatchedSince = new Map<string, number>();

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
    const now = Date.now();
    for (const [queue, reported] of [[this.queues.success, 'SUCCEEDED'], [this.queues.failure, 'FAILED']] as const) {
      for (const message of await this.receive(queue)) {
        const parsed = parseReport(message.text);
        if (!parsed) {
          await message.client.deleteMessage(message.messageId, message.popReceipt);
          continue;
        }
        // Exactly-once sent a range again and ADX skipped it: its rows are in the table already.
        const outcome = parsed.ErrorCode === ALREADY_INGESTED ? 'SUCCEEDED' : reported;
        const firstSeen = this.unmatchedSince.get(message.messageId) ?? now;
        if ((await this.apply(parsed, outcome)) || now - firstSeen > UNMATCHED_GRACE_MS) {
          await message.client.deleteMessage(message.messageId, message.popReceipt);
          this.unmatchedSince.delete(message.messageId);
        } else {
          this.unmatchedSince.set(message.messageId, firstSeen);
        }
      }
    }
    for (const [messageId, since] of this.unmatchedSince) {
      if (now - since > 10 * UNMATCHED_GRACE_MS) this.unmatchedSince.delete(messageId);
    }
  }

  /** Up to REPORTS_PER_POLL visible reports of one kind, from each of the service's queues. */
  private async receive(queue: IngestStatusQueues['success']): Promise<Received[]> {
    const received: Received[] = [];
    for (const { uri } of await queue.getQueuesFunc()) {
      let client = this.clients.get(uri);
      if (!client) this.clients.set(uri, (client = new QueueClient(uri)));
      while (received.length < REPORTS_PER_POLL) {
        const response = await client.receiveMessages({ numberOfMessages: MESSAGES_PER_RECEIVE, visibilityTimeout: VISIBILITY_TIMEOUT_S });
        for (const item of response.receivedMessageItems) {
          received.push({ client, messageId: item.messageId, popReceipt: item.popReceipt, text: Buffer.from(item.messageText, 'base64').toString('utf8') });
        }
        if (response.receivedMessageItems.length < MESSAGES_PER_RECEIVE) break;
      }
    }
    return received;
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
