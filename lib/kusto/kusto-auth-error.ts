import type { KustoCredentialFields } from './kusto-credentials';

/** What @azure/identity and MSAL throw when a sign-in fails (their `name`s; classes differ per package copy). */
const SIGN_IN_ERRORS = new Set([
  'AuthenticationError',
  'AuthenticationRequiredError',
  'AggregateAuthenticationError',
  'CredentialUnavailableError',
  'AuthError',
  'ClientAuthError',
  'ClientConfigurationError',
  'ServerError',
  'InteractionRequiredAuthError',
]);

/** A token server or IMDS that could not be reached, or answered 429/5xx: worth retrying. */
const NETWORK_FAILURE = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|EPIPE|ENETUNREACH|EHOSTUNREACH|socket hang up|network_error|Network request failed)\b/i;

interface ErrorShape {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  inner?: unknown;
  cause?: unknown;
  errors?: unknown[];
  errorResponse?: { error?: string; errorDescription?: string };
  response?: { status?: number; data?: { error?: { '@message'?: string } } };
}

function shape(error: unknown): ErrorShape | undefined {
  return error !== null && typeof error === 'object' ? (error as ErrorShape) : undefined;
}

/** The error and what it wraps: azure-kusto-data's KustoAuthenticationError keeps the credential's error as `inner`. */
function chain(error: unknown): ErrorShape[] {
  const found: ErrorShape[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && found.length < 10) {
    const current = shape(queue.shift());
    if (!current || found.includes(current)) continue;
    found.push(current);
    queue.push(current.inner, current.cause, ...(Array.isArray(current.errors) ? current.errors : []));
  }
  return found;
}

export interface KustoAuthFailure {
  /** `sign-in`: the token server refused (or no credential was available); `access`: the cluster answered 401/403. */
  stage: 'sign-in' | 'access';
  /** The service's own words: the AADSTS… error_description, or Kusto's @message. */
  reason: string;
  /** Unreachable token server, 429 or 5xx: retry; anything else will fail again the same way. */
  transient: boolean;
}

/** MSAL's message is "code: Error(s): … - Description: <error_description> - Correlation ID: …"; Entra appends trace lines. */
function serviceReason(error: ErrorShape): string {
  const text = error.errorResponse?.errorDescription ?? /Description: (.*?)(?: - Correlation ID:|$)/s.exec(error.message ?? '')?.[1] ?? error.message ?? String(error);
  return text.split(/\r?\n(?:Trace ID|Correlation ID|Timestamp):/)[0].trim();
}

/** The sign-in or authorization failure in a Kusto SDK error, or undefined for any other error. */
export function kustoAuthFailure(error: unknown): KustoAuthFailure | undefined {
  const errors = chain(error);
  const refused = errors.find((candidate) => candidate.response?.status === 401 || candidate.response?.status === 403);
  if (refused) {
    return { stage: 'access', reason: refused.response?.data?.error?.['@message'] ?? refused.message ?? `HTTP ${refused.response?.status}`, transient: false };
  }
  const signIn = errors.find((candidate) => candidate.name === 'KustoAuthenticationError' || SIGN_IN_ERRORS.has(candidate.name ?? ''));
  if (!signIn) return undefined;
  const innermost = [...errors].reverse().find((candidate) => SIGN_IN_ERRORS.has(candidate.name ?? '')) ?? signIn;
  const status = errors.find((candidate) => typeof candidate.statusCode === 'number')?.statusCode;
  const transient = errors.some((candidate) => NETWORK_FAILURE.test(`${candidate.code ?? ''} ${candidate.message ?? ''}`)) || status === 429 || (status !== undefined && status >= 500);
  return { stage: 'sign-in', reason: serviceReason(innermost), transient };
}

function principalOf(connection: Pick<KustoCredentialFields, 'authKind' | 'tenantId' | 'appId' | 'managedIdentityClientId'>): string {
  switch (connection.authKind) {
    case 'MANAGED_IDENTITY':
      return connection.managedIdentityClientId ? `user-assigned managed identity ${connection.managedIdentityClientId}` : 'the system-assigned managed identity';
    case 'AZURE_CLI':
      return `the Azure CLI's signed-in account${connection.tenantId ? ` in tenant ${connection.tenantId}` : ''}`;
    case 'NONE':
      return 'no credentials';
    default:
      return `application ${connection.appId ?? '(no app id)'} in tenant ${connection.tenantId ?? '(no tenant)'}`;
  }
}

/**
 * A sentence for the connector's last error when `error` is an authentication or authorization
 * failure, naming the cluster, the principal (tenant and app id) and the service's reason; never a
 * secret. Undefined for any other error.
 */
export function describeKustoAuthError(
  error: unknown,
  connection: Pick<KustoCredentialFields, 'clusterUrl' | 'authKind' | 'tenantId' | 'appId' | 'managedIdentityClientId'>,
): string | undefined {
  const failure = kustoAuthFailure(error);
  if (!failure) return undefined;
  const who = principalOf(connection);
  return failure.stage === 'sign-in'
    ? `Signing in to Kusto (${connection.clusterUrl}) as ${who} failed: ${failure.reason}`
    : `Kusto (${connection.clusterUrl}) refused ${who}: ${failure.reason}`;
}
