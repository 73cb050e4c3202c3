import { randomBytes } from 'node:crypto';
import { ClientCertificateCredential, ClientSecretCredential, WorkloadIdentityCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { ClusterAuthorityCredential, connectionStringFor, signInAuthorityFor, type KustoCredentialFields } from '../../lib/kusto/kusto-credentials';
import { encryptSecret } from '../../lib/secrets';

const SECRET_KEY = randomBytes(32).toString('base64');
const CLUSTER = 'https://kastor.westeurope.kusto.windows.net';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP = 'e2ddd3d5-0000-4000-8000-000000000001';
const ENTRA = { authorityHost: 'https://login.microsoftonline.com', disableInstanceDiscovery: false };

function fields(overrides: Partial<KustoCredentialFields>): KustoCredentialFields {
  return {
    clusterUrl: CLUSTER,
    authKind: 'NONE',
    tenantId: null,
    appId: null,
    appKeyEnc: null,
    certificatePemEnc: null,
    sendX5c: false,
    managedIdentityClientId: null,
    tokenFilePath: null,
    ...overrides,
  };
}

/** The @azure/identity credential a withTokenCredential connection string builds for Entra's authority. */
function credentialFor(connection: KustoCredentialFields) {
  const kcsb = connectionStringFor(connection, CLUSTER, SECRET_KEY);
  expect(kcsb.tokenCredential).toBeInstanceOf(ClusterAuthorityCredential);
  expect(kcsb.applicationKey).toBeUndefined();
  return (kcsb.tokenCredential as ClusterAuthorityCredential).credentialFor(ENTRA);
}

describe('Kusto credentials per auth kind', () => {
  it('none: no credentials at all, so the SDK sends no Authorization header', () => {
    const kcsb = connectionStringFor(fields({}), 'http://127.0.0.1:8080', SECRET_KEY);
    expect(kcsb.aadFederatedSecurity).toBeFalsy();
    expect(kcsb.tokenCredential).toBeUndefined();
    expect(kcsb.dataSource).toBe('http://127.0.0.1:8080');
  });

  it('application key: a client secret credential for the tenant, the secret decrypted only here', () => {
    const connection = fields({ authKind: 'APPLICATION_KEY', tenantId: TENANT, appId: APP, appKeyEnc: encryptSecret('s3cret', SECRET_KEY) });
    expect(credentialFor(connection)).toBeInstanceOf(ClientSecretCredential);
    expect(connectionStringFor(connection, CLUSTER, SECRET_KEY).toString(true)).not.toContain('s3cret');
  });

  it('application key without a tenant is refused rather than signed in at the common authority', () => {
    const connection = fields({ authKind: 'APPLICATION_KEY', appId: APP, appKeyEnc: encryptSecret('s3cret', SECRET_KEY) });
    expect(() => connectionStringFor(connection, CLUSTER, SECRET_KEY)).toThrow(/has no tenant id/);
  });

  it('application certificate: a client certificate credential from the stored PEM', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';
    const connection = fields({ authKind: 'APPLICATION_CERTIFICATE', tenantId: TENANT, appId: APP, certificatePemEnc: encryptSecret(pem, SECRET_KEY), sendX5c: true });
    expect(credentialFor(connection)).toBeInstanceOf(ClientCertificateCredential);
    expect(() => connectionStringFor(fields({ authKind: 'APPLICATION_CERTIFICATE', tenantId: TENANT, appId: APP }), CLUSTER, SECRET_KEY)).toThrow(/has no certificate/);
  });

  it('workload identity: the federated token file of AKS', () => {
    const connection = fields({ authKind: 'WORKLOAD_IDENTITY', tenantId: TENANT, appId: APP, tokenFilePath: '/var/run/secrets/azure/tokens/azure-identity-token' });
    expect(credentialFor(connection)).toBeInstanceOf(WorkloadIdentityCredential);
  });

  it('managed identity: system-assigned, or user-assigned by client id', () => {
    const system = connectionStringFor(fields({ authKind: 'MANAGED_IDENTITY' }), CLUSTER, SECRET_KEY);
    expect(system.useManagedIdentityAuth).toBe(true);
    expect(system.msiClientId).toBeUndefined();
    const user = connectionStringFor(fields({ authKind: 'MANAGED_IDENTITY', managedIdentityClientId: APP }), CLUSTER, SECRET_KEY);
    expect(user.useManagedIdentityAuth).toBe(true);
    expect(user.msiClientId).toBe(APP);
  });

  it('Azure CLI: the az login identity, in the given tenant', () => {
    const kcsb = connectionStringFor(fields({ authKind: 'AZURE_CLI', tenantId: TENANT }), CLUSTER, SECRET_KEY);
    expect(kcsb.useAzLoginAuth).toBe(true);
    expect(kcsb.authorityId).toBe(TENANT);
  });
});

describe('the sign-in authority a cluster names', () => {
  it("Entra's login host keeps MSAL's instance discovery", () => {
    expect(signInAuthorityFor(CLUSTER, 'https://login.microsoftonline.com')).toEqual(ENTRA);
  });

  it('a loopback token server is trusted only for a loopback cluster', () => {
    expect(signInAuthorityFor('http://127.0.0.1:8080', 'https://127.0.0.1:44321/')).toEqual({ authorityHost: 'https://127.0.0.1:44321', disableInstanceDiscovery: true });
    expect(() => signInAuthorityFor(CLUSTER, 'https://127.0.0.1:44321')).toThrow(/only a local cluster/);
    expect(() => signInAuthorityFor('http://127.0.0.1:8080', 'http://127.0.0.1:44321')).toThrow(/not https/);
  });
});
