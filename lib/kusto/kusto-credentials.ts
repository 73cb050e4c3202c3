import 'server-only';
import { ClientCertificateCredential, ClientSecretCredential, WorkloadIdentityCredential, type AccessToken, type GetTokenOptions, type TokenCredential } from '@azure/identity';
import { CloudSettings, KustoConnectionStringBuilder } from 'azure-kusto-data';
import { decryptSecret } from '../secrets';

export type KustoAuthKind = 'NONE' | 'APPLICATION_KEY' | 'APPLICATION_CERTIFICATE' | 'MANAGED_IDENTITY' | 'WORKLOAD_IDENTITY' | 'AZURE_CLI';

/** The sign-in fields of a Kusto connection (prisma KustoConnection); secrets stay encrypted until used. */
export interface KustoCredentialFields {
  clusterUrl: string;
  authKind: KustoAuthKind;
  tenantId: string | null;
  appId: string | null;
  appKeyEnc: string | null;
  /** PEM with the certificate and its private key, encrypted with lib/secrets. */
  certificatePemEnc: string | null;
  sendX5c: boolean;
  managedIdentityClientId: string | null;
  tokenFilePath: string | null;
}

/** Where a cluster's principals sign in, as @azure/identity credentials take it. */
export interface SignInAuthority {
  authorityHost: string;
  disableInstanceDiscovery: boolean;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * The authority from the cluster's `/v1/rest/auth/metadata` (`AzureAD.LoginEndpoint`): Entra's
 * login host for ADX, the local token server for the local engine. azure-kusto-data reads this
 * metadata for the scope only and leaves the authority to @azure/identity's default
 * (login.microsoftonline.com or AZURE_AUTHORITY_HOST), which is wrong for sovereign clouds and for
 * the local engine. MSAL validates an authority it does not know by asking
 * login.microsoftonline.com (instance discovery), which can never vouch for a loopback server; a
 * loopback authority is only accepted from a loopback cluster (the SDK's trusted-endpoint check
 * admits no other hosts but ADX's), so trusting it sends no secret anywhere new.
 */
export function signInAuthorityFor(clusterUrl: string, loginEndpoint: string): SignInAuthority {
  const authority = new URL(loginEndpoint);
  if (authority.protocol !== 'https:') throw new Error(`The cluster ${clusterUrl} names a sign-in authority that is not https: ${loginEndpoint}`);
  const local = isLoopback(authority.hostname);
  if (local && !isLoopback(new URL(clusterUrl).hostname)) {
    throw new Error(`The cluster ${clusterUrl} names a sign-in authority on loopback (${loginEndpoint}); only a local cluster may`);
  }
  return { authorityHost: authority.origin, disableInstanceDiscovery: local };
}

/**
 * A credential that builds its @azure/identity credential on the first token request, once the
 * cluster's cloud metadata (cached by the SDK, which fetched it just before) names the authority.
 */
export class ClusterAuthorityCredential implements TokenCredential {
  private credential: Promise<TokenCredential> | undefined;

  constructor(
    readonly clusterUrl: string,
    readonly credentialFor: (authority: SignInAuthority) => TokenCredential,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    this.credential ??= CloudSettings.getCloudInfoForCluster(this.clusterUrl).then((cloud) =>
      this.credentialFor(signInAuthorityFor(this.clusterUrl, cloud.LoginEndpoint)),
    );
    const credential = await this.credential.catch((error: unknown) => {
      // A metadata failure is retried on the next request rather than remembered.
      this.credential = undefined;
      throw error;
    });
    return credential.getToken(scopes, options);
  }
}

function required(value: string | null, what: string, connection: KustoCredentialFields): string {
  if (!value?.trim()) throw new Error(`The Kusto connection to ${connection.clusterUrl} (${connection.authKind}) has no ${what}`);
  return value;
}

/** An application's identity in its tenant; the tenant is required: `organizations`/common would sign in wherever the app lives. */
function application(connection: KustoCredentialFields): { tenantId: string; appId: string } {
  return { tenantId: required(connection.tenantId, 'tenant id', connection), appId: required(connection.appId, 'application (client) id', connection) };
}

function withClusterAuthority(connection: KustoCredentialFields, endpoint: string, credentialFor: (authority: SignInAuthority) => TokenCredential): KustoConnectionStringBuilder {
  return KustoConnectionStringBuilder.withTokenCredential(endpoint, new ClusterAuthorityCredential(connection.clusterUrl, credentialFor));
}

/**
 * The SDK connection string for one endpoint (engine or Data Management) of a connection. The
 * authority always comes from `connection.clusterUrl`, whose metadata the engine serves.
 */
export function connectionStringFor(connection: KustoCredentialFields, endpoint: string, secretKey: string): KustoConnectionStringBuilder {
  switch (connection.authKind) {
    case 'NONE':
      // No credentials: the SDK sends no Authorization header (the local engine without auth).
      return new KustoConnectionStringBuilder(endpoint);
    case 'APPLICATION_KEY': {
      const { tenantId, appId } = application(connection);
      const appKey = decryptSecret(required(connection.appKeyEnc, 'application key', connection), secretKey);
      return withClusterAuthority(connection, endpoint, (authority) => new ClientSecretCredential(tenantId, appId, appKey, authority));
    }
    case 'APPLICATION_CERTIFICATE': {
      const { tenantId, appId } = application(connection);
      const certificate = decryptSecret(required(connection.certificatePemEnc, 'certificate', connection), secretKey);
      const sendCertificateChain = connection.sendX5c;
      return withClusterAuthority(connection, endpoint, (authority) => new ClientCertificateCredential(tenantId, appId, { certificate }, { ...authority, sendCertificateChain }));
    }
    case 'WORKLOAD_IDENTITY': {
      const { tenantId, appId } = application(connection);
      // Without a path the credential reads AZURE_FEDERATED_TOKEN_FILE, which AKS's webhook sets.
      const tokenFilePath = connection.tokenFilePath ?? undefined;
      return withClusterAuthority(connection, endpoint, (authority) => new WorkloadIdentityCredential({ tenantId, clientId: appId, tokenFilePath, ...authority }));
    }
    case 'MANAGED_IDENTITY':
      // The instance metadata service issues these tokens; no authority is involved.
      return connection.managedIdentityClientId
        ? KustoConnectionStringBuilder.withUserManagedIdentity(endpoint, connection.managedIdentityClientId)
        : KustoConnectionStringBuilder.withSystemManagedIdentity(endpoint);
    case 'AZURE_CLI':
      // `az account get-access-token` signs in with the CLI's own cloud and account.
      return KustoConnectionStringBuilder.withAzLoginIdentity(endpoint, connection.tenantId ?? undefined);
  }
}
