import { isIP } from 'node:net';
import { kustoTrustedEndpoints } from 'azure-kusto-data';
import { AppError, ErrorCode, type FieldIssue } from '../errors';

/**
 * Where the server may connect on a user's behalf. A connection's addresses are dialled by the
 * web (tests, topic lists, samples, queries) and the worker, from inside the network: without a
 * policy, a connection form is a port scanner and an SSRF into the metadata service. Checked
 * before any socket is opened — the Kusto SDK checks trusted hosts only after it has sent its
 * first request (`GET /v1/rest/auth/metadata`). The web passes its policy (from the environment)
 * to every verb that saves or dials a connection; Kastor's own callers (the demo seed, tests) pass
 * none.
 */
export interface OutboundPolicy {
  /**
   * Besides https on a trusted Kusto domain: exact origins (`http://127.0.0.1:18080`, the local
   * engine) and https host patterns (`kusto.contoso.com`, `*.contoso.com`).
   */
  kustoAllowed: string[];
  /**
   * When set, brokers must match one: `host:port`, `host` (any port), `*.domain`, or `*` (any host
   * name). Loopback, private and link-local addresses are allowed only when named exactly.
   */
  kafkaAllowedBrokers: string[] | null;
  /**
   * Schema registries besides https on a public host name: exact origins (`http://127.0.0.1:8081`,
   * `:*` for any port) or https host patterns.
   */
  schemaRegistryAllowed?: string[];
}

export const TRUSTED_KUSTO_DOMAINS_TEXT = '*.kusto.windows.net, *.kusto.fabric.microsoft.com, *.kusto.azuresynapse.net, *.kusto.data.microsoft.com and the sovereign clouds';

/** The SDK's own list (wellKnownKustoEndpoints), for every cloud's login endpoint. */
function isTrustedKustoHost(host: string): boolean {
  return Object.values(kustoTrustedEndpoints.matchers).some((matcher) => matcher.isMatch(host.toLowerCase()));
}

function hostPatternMatches(pattern: string, host: string): boolean {
  const wanted = pattern.toLowerCase();
  const candidate = host.toLowerCase();
  if (wanted.startsWith('*.')) return candidate.endsWith(wanted.slice(1)) && candidate.length > wanted.length - 1;
  return candidate === wanted;
}

/** An origin (`http://127.0.0.1:18080`, any port with `:*`) or an https host pattern (`*.contoso.com`). */
function kustoEntryMatches(entry: string, url: URL): boolean {
  if (!entry.includes('://')) return url.protocol === 'https:' && hostPatternMatches(entry, url.hostname);
  const anyPort = /:\*\/*$/.test(entry);
  const allowed = new URL(entry.replace(/:\*(\/*)$/, '$1'));
  return allowed.protocol === url.protocol && allowed.hostname === url.hostname && (anyPort || allowed.port === url.port);
}

/** Why a Kusto endpoint may not be used, or null when it may. */
export function kustoEndpointProblem(text: string, policy: OutboundPolicy): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be a URL such as https://mycluster.westeurope.kusto.windows.net';
  }
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if (policy.kustoAllowed.some((entry) => kustoEntryMatches(entry, url))) return null;
  if (url.protocol !== 'https:') return 'must be https (only hosts named in KASTOR_KUSTO_ALLOWED_URLS may use http)';
  if (isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) return 'must name the cluster by its host name, not an IP address';
  if (!isTrustedKustoHost(url.hostname)) return `must be on a trusted Kusto domain (${TRUSTED_KUSTO_DOMAINS_TEXT}); other hosts need KASTOR_KUSTO_ALLOWED_URLS`;
  return null;
}

export function assertKustoEndpointsAllowed(endpoints: { clusterUrl: string; ingestUrl?: string | null }, policy: OutboundPolicy, fieldPrefix = ''): void {
  const issues: FieldIssue[] = [];
  for (const field of ['clusterUrl', 'ingestUrl'] as const) {
    const value = endpoints[field];
    const problem = value ? kustoEndpointProblem(value, policy) : null;
    if (problem) issues.push({ field: `${fieldPrefix}${field}`, message: problem });
  }
  throwIssues(issues);
}

const BROKER = /^(?<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*):(?<port>\d{1,5})$/;

/**
 * IPv4 literals Kastor never dials unless the allow-list names them: loopback, "this network",
 * private (RFC 1918), carrier-grade NAT, link-local (the cloud metadata service at
 * 169.254.169.254), multicast and reserved.
 */
function isInternalIpv4(host: string): boolean {
  const [a, b] = host.split('.').map(Number);
  return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || a >= 224;
}

/** IPv6 literals likewise: loopback, unspecified, unique-local, link-local, multicast, and IPv4-mapped internal ones. */
function isInternalIpv6(host: string): boolean {
  const address = host.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return isInternalIpv4(mapped[1]);
  return address === '::1' || address === '::' || /^f[cd]/.test(address) || /^fe[89ab]/.test(address) || address.startsWith('ff');
}

function isInternalHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  return (family === 4 && isInternalIpv4(bare)) || (family === 6 && isInternalIpv6(bare)) || bare.toLowerCase() === 'localhost';
}

function brokerAllowed(entry: string, host: string, port: number): boolean {
  const match = /^(.*?)(?::(\d+))?$/.exec(entry.trim());
  if (!match) return false;
  const [, entryHost, entryPort] = match;
  if (entryPort !== undefined && Number(entryPort) !== port) return false;
  // A pattern never admits an internal address; only the exact name does.
  if (entryHost === '*') return isIP(host.replace(/^\[|\]$/g, '')) === 0 && !isInternalHost(host);
  return entryHost.startsWith('*.') ? !isInternalHost(host) && hostPatternMatches(entryHost, host) : hostPatternMatches(entryHost, host);
}

/** Why a broker address may not be dialled, or null when it may. */
export function brokerProblem(broker: string, policy: OutboundPolicy): string | null {
  const match = BROKER.exec(broker);
  if (!match?.groups) return 'must be host:port';
  const host = match.groups.host;
  const port = Number(match.groups.port);
  if (port < 1 || port > 65_535) return 'must have a port between 1 and 65535';
  if (policy.kafkaAllowedBrokers) {
    return policy.kafkaAllowedBrokers.some((entry) => brokerAllowed(entry, host, port)) ? null : 'is not in KASTOR_KAFKA_ALLOWED_BROKERS';
  }
  if (isInternalHost(host)) return 'is a loopback, private or link-local address; name it in KASTOR_KAFKA_ALLOWED_BROKERS to allow it';
  return null;
}

/** Why a schema registry URL may not be dialled, or null when it may. */
export function schemaRegistryProblem(text: string, policy: OutboundPolicy): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be a URL such as https://registry.example.com';
  }
  if (url.username || url.password) return 'must not contain a user name or password (give them as the registry user)';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if ((policy.schemaRegistryAllowed ?? []).some((entry) => kustoEntryMatches(entry, url))) return null;
  if (url.protocol !== 'https:') return 'must be https (only registries named in KASTOR_SCHEMA_REGISTRY_ALLOWED_URLS may use http)';
  if (isInternalHost(url.hostname) || isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) return 'must name the registry by a public host name; others need KASTOR_SCHEMA_REGISTRY_ALLOWED_URLS';
  return null;
}

/** A Kafka connection's brokers and schema registry against the policy, each problem naming its field. */
export function assertKafkaConnectionAllowed(connection: { brokers: string[]; schemaRegistryUrl?: string | null }, policy: OutboundPolicy, fieldPrefix = ''): void {
  assertBrokersAllowed(connection.brokers, policy, fieldPrefix);
  const problem = connection.schemaRegistryUrl ? schemaRegistryProblem(connection.schemaRegistryUrl, policy) : null;
  if (problem) throwIssues([{ field: `${fieldPrefix}schemaRegistryUrl`, message: problem }]);
}

export function assertBrokersAllowed(brokers: string[], policy: OutboundPolicy, fieldPrefix = ''): void {
  const issues = brokers.flatMap((broker, index) => {
    const problem = brokerProblem(broker, policy);
    return problem ? [{ field: `${fieldPrefix}brokers.${index}`, message: problem }] : [];
  });
  throwIssues(issues);
}

function throwIssues(issues: FieldIssue[]): void {
  if (issues.length === 0) return;
  throw new AppError(ErrorCode.UNPROCESSABLE, `Invalid input — ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`, issues);
}
