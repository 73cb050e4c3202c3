import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AzureNamedKeyCredential, TableClient, TableServiceClient } from '@azure/data-tables';
import { QueueServiceClient, StorageSharedKeyCredential as QueueSharedKeyCredential } from '@azure/storage-queue';
import { z } from 'zod';

/**
 * The storage account behind the Data Management role (Azurite locally), addressed by an Azure
 * Storage connection string with explicit endpoints, the form Azurite's docs give.
 */

const ZConnectionString = z
  .string()
  .transform((text) => {
    const pairs = text
      .split(';')
      .filter((part) => part.trim() !== '')
      .map((part) => {
        const at = part.indexOf('=');
        return at < 0 ? [part.trim().toLowerCase(), ''] : [part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim()];
      });
    return Object.fromEntries(pairs) as Record<string, string>;
  })
  .pipe(
    z.object({
      accountname: z.string().min(1, 'AccountName is required'),
      accountkey: z.string().min(1, 'AccountKey is required'),
      blobendpoint: z.url('BlobEndpoint must be a URL'),
      queueendpoint: z.url('QueueEndpoint must be a URL'),
      tableendpoint: z.url('TableEndpoint must be a URL'),
    }),
  );

export interface TStorageAccount {
  accountName: string;
  blobEndpoint: string;
  connectionString: string;
  blobs: BlobServiceClient;
  queues: QueueServiceClient;
  tables: TableServiceClient;
  tableClient(name: string): TableClient;
  tableCredential: AzureNamedKeyCredential;
}

export function parseStorageConnectionString(connectionString: string): z.infer<typeof ZConnectionString> {
  const parsed = ZConnectionString.safeParse(connectionString);
  if (!parsed.success) {
    throw new Error(`Invalid storage connection string: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  return parsed.data;
}

export function openStorageAccount(connectionString: string): TStorageAccount {
  const settings = parseStorageConnectionString(connectionString);
  // Azurite serves plain http on loopback; the table SDK refuses a key over http unless told.
  const tableOptions = { allowInsecureConnection: settings.tableendpoint.startsWith('http:') };
  const tableCredential = new AzureNamedKeyCredential(settings.accountname, settings.accountkey);
  return {
    accountName: settings.accountname,
    blobEndpoint: settings.blobendpoint.replace(/\/+$/, ''),
    connectionString,
    blobs: new BlobServiceClient(settings.blobendpoint, new StorageSharedKeyCredential(settings.accountname, settings.accountkey)),
    queues: new QueueServiceClient(settings.queueendpoint, new QueueSharedKeyCredential(settings.accountname, settings.accountkey)),
    tables: new TableServiceClient(settings.tableendpoint, tableCredential, tableOptions),
    tableClient: (name) => new TableClient(settings.tableendpoint, name, tableCredential, tableOptions),
    tableCredential,
  };
}
