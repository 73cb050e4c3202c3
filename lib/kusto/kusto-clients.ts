import { Client, KustoConnectionStringBuilder } from 'azure-kusto-data';
import { IngestClient, IngestStatusQueues, ManagedStreamingIngestClient, StreamingIngestClient } from 'azure-kusto-ingest';
import { decryptSecret } from '../secrets';
import { deriveIngestUrl } from './ingest-url';

export interface KustoConnectionRecord {
  clusterUrl: string;
  ingestUrl: string | null;
  authKind: 'NONE' | 'APPLICATION_KEY' | 'APPLICATION_CERTIFICATE' | 'MANAGED_IDENTITY' | 'WORKLOAD_IDENTITY' | 'AZURE_CLI';
  tenantId: string | null;
  appId: string | null;
  appKeyEnc: string | null;
}

export interface KustoClients {
  /** Queries and management commands on the engine endpoint. */
  query: Client;
  streamingIngest: StreamingIngestClient;
  /** Queued ingestion through the Data Management endpoint (blob + queue). */
  queuedIngest: IngestClient;
  /** Streaming with a fallback to queued, as the SDK's managed client decides. */
  managedIngest: ManagedStreamingIngestClient;
  /** The success and failure queues the Data Management service reports to. */
  statusQueues: IngestStatusQueues;
  close(): void;
}

function connectionStringFor(connection: KustoConnectionRecord, endpoint: string, secretKey: string): KustoConnectionStringBuilder {
  if (connection.authKind === 'APPLICATION_KEY') {
    if (!connection.appId || !connection.appKeyEnc) throw new Error('The Kusto connection has no application id or key');
    return KustoConnectionStringBuilder.withAadApplicationKeyAuthentication(
      endpoint,
      connection.appId,
      decryptSecret(connection.appKeyEnc, secretKey),
      connection.tenantId ?? undefined,
    );
  }
  // No credentials: the SDK sends no Authorization header (the local engine on loopback).
  return new KustoConnectionStringBuilder(endpoint);
}

export function createKustoClients(connection: KustoConnectionRecord, secretKey: string): KustoClients {
  const engine = connectionStringFor(connection, connection.clusterUrl, secretKey);
  const dm = connectionStringFor(connection, connection.ingestUrl ?? deriveIngestUrl(connection.clusterUrl), secretKey);
  const query = new Client(engine);
  const streamingIngest = new StreamingIngestClient(engine);
  const queuedIngest = new IngestClient(dm);
  const managedIngest = new ManagedStreamingIngestClient(engine, dm);
  const statusQueues = new IngestStatusQueues(queuedIngest);
  return {
    query,
    streamingIngest,
    queuedIngest,
    managedIngest,
    statusQueues,
    close() {
      query.close();
      streamingIngest.close();
      queuedIngest.close();
      managedIngest.close();
    },
  };
}

/** The text a person should read from whatever the Kusto SDK threw. */
export function kustoErrorMessage(error: unknown): string {
  if (error && typeof error === 'object') {
    const candidate = error as { message?: unknown; response?: { data?: unknown } };
    const data = candidate.response?.data as { error?: { '@message'?: string; message?: string } } | undefined;
    if (data?.error?.['@message']) return data.error['@message'];
    if (typeof candidate.message === 'string') return candidate.message;
  }
  return String(error);
}
