import { Client, KustoConnectionStringBuilder } from 'azure-kusto-data';
import { StreamingIngestClient } from 'azure-kusto-ingest';
import { decryptSecret } from '../secrets';

export interface KustoConnectionRecord {
  clusterUrl: string;
  authKind: 'NONE' | 'APPLICATION_KEY';
  tenantId: string | null;
  appId: string | null;
  appKeyEnc: string | null;
}

export interface KustoClients {
  query: Client;
  streamingIngest: StreamingIngestClient;
  close(): void;
}

function connectionStringFor(connection: KustoConnectionRecord, secretKey: string): KustoConnectionStringBuilder {
  if (connection.authKind === 'APPLICATION_KEY') {
    if (!connection.appId || !connection.appKeyEnc) throw new Error('The Kusto connection has no application id or key');
    return KustoConnectionStringBuilder.withAadApplicationKeyAuthentication(
      connection.clusterUrl,
      connection.appId,
      decryptSecret(connection.appKeyEnc, secretKey),
      connection.tenantId ?? undefined,
    );
  }
  // No credentials: the SDK sends no Authorization header (the local engine on loopback).
  return new KustoConnectionStringBuilder(connection.clusterUrl);
}

export function createKustoClients(connection: KustoConnectionRecord, secretKey: string): KustoClients {
  const kcsb = connectionStringFor(connection, secretKey);
  const query = new Client(kcsb);
  const streamingIngest = new StreamingIngestClient(kcsb);
  return {
    query,
    streamingIngest,
    close() {
      query.close();
      streamingIngest.close();
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
