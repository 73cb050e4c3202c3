import { createHash, randomBytes } from 'node:crypto';
import { ContainerSASPermissions } from '@azure/storage-blob';
import { generateTableSas } from '@azure/data-tables';
import { QueueSASPermissions } from '@azure/storage-queue';
import type { TResultTable } from '../protocol/result-table';
import type { TStorageAccount } from './storage-account';

/**
 * The queues, container and table ADX's Data Management service hands to ingest clients through
 * `.get ingestion resources` (the SDK's resourceManager.ts reads these five resource names).
 */
export interface TResourceNames {
  ingestionQueue: string;
  failedQueue: string;
  successQueue: string;
  tempContainer: string;
  statusTable: string;
}

/**
 * Each engine gets resources of its own in the shared account, as each ADX cluster has its own
 * storage: engines sharing one Azurite never take each other's messages. `scope` is stable for
 * an engine's data folder, so a restart finds the blobs it had not ingested yet.
 */
export function resourceNames(scope: string): TResourceNames {
  const prefix = `kq${createHash('sha256').update(scope).digest('hex').slice(0, 12)}`;
  return {
    ingestionQueue: `${prefix}-readyforaggregation-secured`,
    failedQueue: `${prefix}-failedingestions`,
    successQueue: `${prefix}-successfulingestions`,
    tempContainer: `${prefix}-tempstorage`,
    // Table names are alphanumeric only.
    statusTable: `${prefix}ingestionsstatus`,
  };
}

/** The SDK caches resources for an hour; SAS URLs outlive that comfortably, as ADX's do. */
const SAS_LIFETIME_MS = 6 * 60 * 60 * 1000;

export async function createIngestionResources(account: TStorageAccount, names: TResourceNames): Promise<void> {
  await account.blobs.getContainerClient(names.tempContainer).createIfNotExists();
  for (const queue of [names.ingestionQueue, names.failedQueue, names.successQueue]) await account.queues.getQueueClient(queue).createIfNotExists();
  await account.tables.createTable(names.statusTable);
}

export async function ingestionResourcesResult(account: TStorageAccount, names: TResourceNames): Promise<TResultTable> {
  const expiresOn = new Date(Date.now() + SAS_LIFETIME_MS);
  const queueSas = (name: string, permissions: string) => account.queues.getQueueClient(name).generateSasUrl({ permissions: QueueSASPermissions.parse(permissions), expiresOn });
  const containerSas = await account.blobs.getContainerClient(names.tempContainer).generateSasUrl({ permissions: ContainerSASPermissions.parse('rwdl'), expiresOn });
  const tableSas = generateTableSas(names.statusTable, account.tableCredential, { permissions: { query: true, add: true, update: true }, expiresOn });
  return {
    columns: [
      { name: 'ResourceTypeName', type: 'string' },
      { name: 'StorageRoot', type: 'string' },
    ],
    rows: [
      ['SecuredReadyForAggregationQueue', queueSas(names.ingestionQueue, 'a')],
      // Status queues are read and emptied by the client (IngestStatusQueues peek/pop).
      ['FailedIngestionsQueue', queueSas(names.failedQueue, 'rp')],
      ['SuccessfulIngestionsQueue', queueSas(names.successQueue, 'rp')],
      ['TempStorage', containerSas],
      ['IngestionsStatusTable', `${account.tableClient(names.statusTable).url}/${names.statusTable}?${tableSas}`],
    ],
  };
}

/** `.get kusto identity token`: an opaque token the client copies into each queued message. */
export function identityTokenResult(token: string): TResultTable {
  return { columns: [{ name: 'AuthorizationContext', type: 'string' }], rows: [[token]] };
}

export function newIdentityToken(): string {
  return randomBytes(48).toString('base64');
}
