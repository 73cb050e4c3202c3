import type { TResultTable } from '../protocol/result-table';
import { findTable } from '../storage/catalog';
import type { TStore } from '../storage/open-store';
import { effectiveTablePolicy, findDatabasePolicy } from '../mgmt/database-policies';
import { batchingLimits, IngestionBatcher, type TBatch, type TBatchingLimits } from './ingestion-batcher';
import { parseIngestionMessage, type TIngestionBlobInfo } from './ingestion-message';
import { createIngestionResources, identityTokenResult, ingestionResourcesResult, newIdentityToken, resourceNames } from './ingestion-resources';
import { blobClientFor, ingestQueuedBatch, type TQueuedBlob } from './ingest-queued-batch';
import { reportOutcomes } from './status-reports';
import { openStorageAccount, type TStorageAccount } from './storage-account';

/**
 * The Data Management (queued ingestion) role: hands out storage through `.get ingestion
 * resources`, takes blobs off the ingestion queue, batches them per table by the ingestion
 * batching policy, ingests sealed batches and reports each blob's outcome.
 */

export interface DataManagementOptions {
  store: TStore;
  /** Azure Storage connection string with Blob/Queue/Table endpoints (Azurite locally). */
  storageConnectionString: string;
  /** Names this engine's queues, container and table in the account; stable per data folder. */
  scope: string;
  /** How often the ingestion queue is polled; sealing by time is checked at least this often. */
  pollIntervalMs?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface DataManagement {
  ingestionResources(): Promise<TResultTable>;
  identityToken(): TResultTable;
  /** Stops polling, waits for the batch being ingested, and puts unsealed blobs back on the queue. */
  stop(): Promise<void>;
}

/** Azure queues hand out at most 32 messages per receive. */
const RECEIVE_BATCH = 32;
/**
 * A taken message stays invisible while its blob waits in a batch; it is deleted once reported.
 * Longer than the 30-minute maximum batching time (batching-policy.md), so a live batch never
 * sees its messages come back; after a crash they return and are ingested again (at least once).
 */
const INVISIBLE_SECONDS = 60 * 60;
const STOP_RELEASE_MS = 5_000;

function batchKey(info: TIngestionBlobInfo): string {
  const properties = info.AdditionalProperties ?? {};
  // ADX batches blobs that share a table and ingestion properties (tags included: an extent has one set).
  return JSON.stringify([
    info.DatabaseName,
    info.TableName,
    properties.format ?? 'csv',
    properties.ingestionMappingReference ?? null,
    properties.ingestionMapping ?? null,
    properties.ignoreFirstRecord ?? false,
    properties.tags ?? null,
    properties.ingestIfNotExists ?? null,
  ]);
}

export async function startDataManagement(opts: DataManagementOptions): Promise<DataManagement> {
  const account: TStorageAccount = openStorageAccount(opts.storageConnectionString);
  const names = resourceNames(opts.scope);
  await createIngestionResources(account, names);
  const log = opts.log ?? ((message: string, error?: unknown) => console.error(`kusto engine (data management): ${message}`, error ?? ''));
  const pollIntervalMs = opts.pollIntervalMs ?? 250;
  const queue = account.queues.getQueueClient(names.ingestionQueue);
  const batcher = new IngestionBatcher<TQueuedBlob>();
  const token = newIdentityToken();
  const stopping = new AbortController();

  async function limitsFor(info: TIngestionBlobInfo): Promise<TBatchingLimits> {
    const policy = await opts.store.read(async (connection) => {
      const table = await findTable(connection, info.DatabaseName, info.TableName);
      return table ? effectiveTablePolicy(connection, table, 'batching') : findDatabasePolicy(connection, info.DatabaseName, 'batching');
    });
    return batchingLimits(policy);
  }

  /** RawDataSize drives the size trigger; a client that left it out gets the blob's stored size. */
  async function rawBytesOf(info: TIngestionBlobInfo): Promise<number> {
    if (info.RawDataSize) return info.RawDataSize;
    try {
      return (await blobClientFor(account, info.BlobPath).getProperties()).contentLength ?? 0;
    } catch {
      return 0;
    }
  }

  async function deleteMessages(messages: readonly { messageId: string; popReceipt: string }[]): Promise<void> {
    for (const message of messages) await queue.deleteMessage(message.messageId, message.popReceipt).catch((error: unknown) => log('could not delete an ingested message', error));
  }

  async function ingestBatch(batch: TBatch<TQueuedBlob>): Promise<void> {
    const outcomes = await ingestQueuedBatch(opts.store, account, batch.items);
    await reportOutcomes(opts.store, account, names, outcomes);
    await deleteMessages(batch.items);
  }

  /** Takes what is on the queue into batches; returns the batches sealed by count, size or FlushImmediately. */
  async function receive(): Promise<{ sealed: TBatch<TQueuedBlob>[]; more: boolean }> {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: RECEIVE_BATCH, visibilityTimeout: INVISIBLE_SECONDS });
    const sealed: TBatch<TQueuedBlob>[] = [];
    for (const message of receivedMessageItems) {
      // Taken when this poll saw it, which is never before the client queued it, so a batch is never sealed early.
      const now = Date.now();
      const parsed = parseIngestionMessage(message.messageText);
      if (!parsed.ok) {
        log(`dropped an ingestion message that is not an IngestionBlobInfo: ${parsed.problem}`);
        await deleteMessages([message]);
        continue;
      }
      const blob: TQueuedBlob = { info: parsed.info, rawBytes: await rawBytesOf(parsed.info), messageId: message.messageId, popReceipt: message.popReceipt };
      const limits = await limitsFor(parsed.info);
      if (parsed.info.FlushImmediately) sealed.push({ key: batchKey(parsed.info), openedAt: now, limits, items: [blob], rawBytes: blob.rawBytes });
      else {
        const full = batcher.add(batchKey(parsed.info), blob, limits, now);
        if (full) sealed.push(full);
      }
    }
    return { sealed, more: receivedMessageItems.length === RECEIVE_BATCH };
  }

  async function runLoop(): Promise<void> {
    while (!stopping.signal.aborted) {
      let more = false;
      try {
        const received = await receive();
        more = received.more;
        for (const batch of [...received.sealed, ...batcher.sealDue(Date.now())]) await ingestBatch(batch);
      } catch (error) {
        log('ingestion queue poll failed', error);
      }
      if (more) continue;
      const deadline = batcher.nextDeadline();
      const wait = deadline === null ? pollIntervalMs : Math.max(0, Math.min(pollIntervalMs, deadline - Date.now()));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }

  const loop = runLoop();
  let stopped: Promise<void> | undefined;
  return {
    ingestionResources: () => ingestionResourcesResult(account, names),
    identityToken: () => identityTokenResult(token),
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        await loop;
        // Unsealed blobs go back on the queue at once, so the next start batches them again.
        const release = Promise.allSettled(batcher.takeAll().flatMap((batch) => batch.items.map((blob) => queue.updateMessage(blob.messageId, blob.popReceipt, undefined, 0))));
        await Promise.race([release, new Promise((resolve) => setTimeout(resolve, STOP_RELEASE_MS))]);
      })();
      return stopped;
    },
  };
}
