/**
 * The Data Management (queued ingestion) endpoint ADX serves beside a cluster: the cluster's host
 * with an `ingest-` prefix (https://mycluster.westeurope.kusto.windows.net →
 * https://ingest-mycluster.westeurope.kusto.windows.net). Loopback names and IP literals are
 * left as they are, as the Kusto SDK does for them (abstractKustoClient.ts).
 */
export function deriveIngestUrl(clusterUrl: string): string {
  let url: URL;
  try {
    url = new URL(clusterUrl);
  } catch {
    return clusterUrl;
  }
  const host = url.hostname;
  const reserved = host === '' || host.includes('localhost') || /^[\d.]+$/.test(host) || host.startsWith('[');
  if (reserved || host.startsWith('ingest-')) return clusterUrl.replace(/\/+$/, '');
  url.hostname = `ingest-${host}`;
  return url.toString().replace(/\/+$/, '');
}
