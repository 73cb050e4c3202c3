import 'server-only';
import { Client } from 'azure-kusto-data';
import { IngestClient, IngestStatusQueues, ManagedStreamingIngestClient, StreamingIngestClient } from 'azure-kusto-ingest';
import { deriveIngestUrl } from './ingest-url';
import { connectionStringFor, type KustoCredentialFields } from './kusto-credentials';

/** A Kusto connection as stored (prisma KustoConnection): endpoints, sign-in and the role Kastor was granted. */
export interface KustoConnectionRecord extends KustoCredentialFields {
  ingestUrl: string | null;
  /** ADMIN runs Kastor's KQL on the database; INGESTOR may only ingest, so the target is set up by someone else. */
  principalRole: 'ADMIN' | 'INGESTOR';
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
