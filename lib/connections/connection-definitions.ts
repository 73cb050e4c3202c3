import { z } from 'zod';
import { ZKustoIdentifier } from '../kql/identifiers';

/**
 * The connections' contracts, shared by the route handlers and the forms: input schemas, the
 * views the browser gets (secrets only as "set"), and the outcome of "Test connection".
 */

/** Trimmed; a blank field counts as not given, so an untouched secret on an edit form keeps the stored one. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .optional()
    .transform((value) => (value ? value : undefined));

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/;
const PEM_PRIVATE_KEY = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

export const KAFKA_SECURITY_PROTOCOLS = ['PLAINTEXT', 'SASL_PLAINTEXT', 'SASL_SSL', 'SSL'] as const;
export const KAFKA_SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

/** With `secretsRequired` false (an edit), a missing password means "keep the stored one"; the server checks one exists. */
function kafkaConnectionSchema(secretsRequired: boolean) {
  return z
    .object({
      name: z.string().trim().min(1, 'is required').max(100),
      brokers: z
        .array(z.string().trim().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port'))
        .min(1, 'needs at least one broker'),
      securityProtocol: z.enum(KAFKA_SECURITY_PROTOCOLS).default('PLAINTEXT'),
      saslMechanism: z.enum(KAFKA_SASL_MECHANISMS).optional(),
      saslUsername: optionalText(256),
      saslPassword: optionalText(1024),
      /** PEM of the authority that signed the brokers' certificates; blank trusts the system's authorities. */
      tlsCaPem: optionalText(65_536),
      /** mTLS: the client certificate and its private key, both PEM. */
      tlsClientCertPem: optionalText(65_536),
      tlsClientKeyPem: optionalText(65_536),
      /** A Confluent-compatible schema registry for Avro topics, e.g. https://registry.example.com or Apicurio's …/apis/ccompat/v7. */
      schemaRegistryUrl: optionalText(2048).refine((text) => text === undefined || /^https?:\/\/[^\s]+$/.test(text), 'must be an http(s) URL'),
      /** HTTP basic auth towards the registry; the password is stored encrypted. */
      schemaRegistryUsername: optionalText(256),
      schemaRegistryPassword: optionalText(1024),
    })
    .superRefine((input, context) => {
      const tls = usesTls(input.securityProtocol);
      for (const field of ['tlsCaPem', 'tlsClientCertPem', 'tlsClientKeyPem'] as const) {
        if (input[field] && !tls) context.addIssue({ code: 'custom', path: [field], message: 'needs security protocol SSL or SASL_SSL' });
      }
      if (input.tlsCaPem && !PEM_CERTIFICATE.test(input.tlsCaPem)) context.addIssue({ code: 'custom', path: ['tlsCaPem'], message: 'must be a PEM certificate' });
      if (input.tlsClientCertPem && !PEM_CERTIFICATE.test(input.tlsClientCertPem)) {
        context.addIssue({ code: 'custom', path: ['tlsClientCertPem'], message: 'must be a PEM certificate' });
      }
      if (input.tlsClientKeyPem && !PEM_PRIVATE_KEY.test(input.tlsClientKeyPem)) {
        context.addIssue({ code: 'custom', path: ['tlsClientKeyPem'], message: 'must be a PEM private key' });
      }
      if ((input.schemaRegistryUsername || input.schemaRegistryPassword) && !input.schemaRegistryUrl) {
        context.addIssue({ code: 'custom', path: ['schemaRegistryUrl'], message: 'is required with a schema registry user' });
      }
      if (input.tlsClientKeyPem && !input.tlsClientCertPem) context.addIssue({ code: 'custom', path: ['tlsClientCertPem'], message: 'is required with a client key' });
      if (secretsRequired && input.tlsClientCertPem && !input.tlsClientKeyPem) {
        context.addIssue({ code: 'custom', path: ['tlsClientKeyPem'], message: 'is required with a client certificate' });
      }
      if (!input.securityProtocol.startsWith('SASL')) return;
      if (!input.saslMechanism) context.addIssue({ code: 'custom', path: ['saslMechanism'], message: 'is required for SASL' });
      if (!input.saslUsername) context.addIssue({ code: 'custom', path: ['saslUsername'], message: 'is required for SASL' });
      if (secretsRequired && !input.saslPassword) context.addIssue({ code: 'custom', path: ['saslPassword'], message: 'is required for SASL' });
    });
}

/** SSL and SASL_SSL talk TLS to the brokers. */
export function usesTls(protocol: (typeof KAFKA_SECURITY_PROTOCOLS)[number]): boolean {
  return protocol === 'SSL' || protocol === 'SASL_SSL';
}

export const ZKafkaConnectionInput = kafkaConnectionSchema(true);
export const ZKafkaConnectionUpdate = kafkaConnectionSchema(false);
export type TKafkaConnectionInput = z.input<typeof ZKafkaConnectionInput>;
export type TKafkaConnection = z.output<typeof ZKafkaConnectionInput>;

export const KUSTO_AUTH_KINDS = ['APPLICATION_KEY', 'APPLICATION_CERTIFICATE', 'MANAGED_IDENTITY', 'WORKLOAD_IDENTITY', 'AZURE_CLI', 'NONE'] as const;
export type TKustoAuthKind = (typeof KUSTO_AUTH_KINDS)[number];

export const KUSTO_AUTH_LABELS: Record<TKustoAuthKind, string> = {
  APPLICATION_KEY: 'Application key',
  APPLICATION_CERTIFICATE: 'Application certificate',
  MANAGED_IDENTITY: 'Managed identity',
  WORKLOAD_IDENTITY: 'Workload identity',
  AZURE_CLI: 'Azure CLI',
  NONE: 'None (local engine)',
};

/** Which fields each authentication kind uses; the others are cleared when a connection is saved. */
export const KUSTO_AUTH_FIELDS = {
  APPLICATION_KEY: ['tenantId', 'appId', 'appKey'],
  APPLICATION_CERTIFICATE: ['tenantId', 'appId', 'certificatePem', 'sendX5c'],
  MANAGED_IDENTITY: ['managedIdentityClientId'],
  WORKLOAD_IDENTITY: ['tenantId', 'appId', 'tokenFilePath'],
  AZURE_CLI: [],
  NONE: [],
} as const satisfies Record<TKustoAuthKind, readonly string[]>;
export type TKustoAuthField = (typeof KUSTO_AUTH_FIELDS)[TKustoAuthKind][number];

export function authUses(kind: TKustoAuthKind, field: TKustoAuthField): boolean {
  return (KUSTO_AUTH_FIELDS[kind] as readonly string[]).includes(field);
}

export const KUSTO_PRINCIPAL_ROLES = ['ADMIN', 'INGESTOR'] as const;
export type TKustoPrincipalRole = (typeof KUSTO_PRINCIPAL_ROLES)[number];

export const PRINCIPAL_ROLE_LABELS: Record<TKustoPrincipalRole, { title: string; meaning: string }> = {
  ADMIN: { title: 'admin', meaning: 'Kastor can create and alter tables' },
  INGESTOR: { title: 'ingestor', meaning: 'tables, mappings and policies must exist' },
};


const HTTP = /^https?$/;

function kustoConnectionSchema(secretsRequired: boolean) {
  return z
    .object({
      name: z.string().trim().min(1, 'is required').max(100),
      clusterUrl: z.string().trim().pipe(z.url({ protocol: HTTP, message: 'must be a URL such as https://mycluster.westeurope.kusto.windows.net' })),
      /** Blank: derived from the cluster URL as ADX does (ingest-<cluster host>). */
      ingestUrl: optionalText(2048).pipe(z.url({ protocol: HTTP, message: 'must be a URL such as https://ingest-mycluster.westeurope.kusto.windows.net' }).optional()),
      authKind: z.enum(KUSTO_AUTH_KINDS).default('NONE'),
      tenantId: optionalText(256),
      appId: optionalText(256),
      appKey: optionalText(4096),
      certificatePem: optionalText(65_536),
      sendX5c: z.boolean().default(false),
      managedIdentityClientId: optionalText(256),
      tokenFilePath: optionalText(1024),
      principalRole: z.enum(KUSTO_PRINCIPAL_ROLES).default('ADMIN'),
    })
    .superRefine((input, context) => {
      const require = (field: 'tenantId' | 'appId' | 'appKey' | 'certificatePem', message: string) => {
        if (!input[field]) context.addIssue({ code: 'custom', path: [field], message });
      };
      const kind = input.authKind;
      // AAD needs the tenant to issue an app token; "common" does not work for client credentials.
      if (authUses(kind, 'tenantId')) require('tenantId', `is required for ${KUSTO_AUTH_LABELS[kind].toLowerCase()} authentication`);
      if (authUses(kind, 'appId')) require('appId', kind === 'WORKLOAD_IDENTITY' ? 'is required (the client id of the federated identity)' : 'is required');
      if (kind === 'APPLICATION_KEY' && secretsRequired) require('appKey', 'is required');
      if (kind === 'APPLICATION_CERTIFICATE') {
        if (secretsRequired) require('certificatePem', 'is required');
        const pem = input.certificatePem;
        if (pem && !(PEM_CERTIFICATE.test(pem) && PEM_PRIVATE_KEY.test(pem))) {
          context.addIssue({ code: 'custom', path: ['certificatePem'], message: 'must be PEM with the certificate and its private key' });
        }
      }
    });
}

export const ZKustoConnectionInput = kustoConnectionSchema(true);
export const ZKustoConnectionUpdate = kustoConnectionSchema(false);
export type TKustoConnectionInput = z.input<typeof ZKustoConnectionInput>;
export type TKustoConnection = z.output<typeof ZKustoConnectionInput>;

export const ZPrincipalRoleChange = z.object({ principalRole: z.enum(KUSTO_PRINCIPAL_ROLES) }).strict();

/** The database "Test connection" checks; the Kusto identifier rules, since it is named in a command. */
export const ZTestDatabase = ZKustoIdentifier;

/** Test a saved connection against a database. */
export const ZKustoTestRequest = z.object({ database: ZTestDatabase }).strict();

/**
 * Test a form before (or instead of) saving it. With `connectionId` (an edit form), blank secrets
 * are taken from that stored connection.
 */
export const ZKustoDraftTestRequest = z
  .object({ connection: z.unknown(), database: ZTestDatabase, connectionId: z.uuid().optional() })
  .strict();
export const ZKafkaDraftTestRequest = z.object({ connection: z.unknown(), connectionId: z.uuid().optional() }).strict();

export const TEST_STEP_STATUSES = ['passed', 'failed', 'skipped'] as const;

const ZTestStep = z.object({
  name: z.enum(['reach', 'database', 'role']),
  status: z.enum(TEST_STEP_STATUSES),
  message: z.string(),
});

/** Stored in KustoConnection.lastTest and shown on the connections page; parsed when read back. */
export const ZKustoConnectionTest = z.object({
  ok: z.boolean(),
  testedAt: z.iso.datetime(),
  database: z.string(),
  steps: z.array(ZTestStep),
  /** `.show version`: service type and product version, e.g. "Engine 1.0.9043.23851". */
  serviceVersion: z.string().nullable(),
  /** The databases the principal may see (`.show databases`), to pick one for the next test. */
  databases: z.array(z.string()),
  /** What the principal may do in the database; null when it could not be told. */
  detectedRole: z.enum([...KUSTO_PRINCIPAL_ROLES, 'VIEWER']).nullable(),
});
export type TKustoConnectionTest = z.infer<typeof ZKustoConnectionTest>;
export type TTestStep = z.infer<typeof ZTestStep>;

export interface TKafkaConnectionTest {
  ok: boolean;
  testedAt: string;
  message: string;
  /** Topics a connector could read; internal ones hidden. */
  topics: string[];
}

export interface ConnectorReference {
  id: string;
  name: string;
}

/** Secrets are encrypted before they reach the database and are never returned: only "set". */
export interface KafkaConnectionView {
  id: string;
  name: string;
  brokers: string[];
  securityProtocol: (typeof KAFKA_SECURITY_PROTOCOLS)[number];
  saslMechanism: (typeof KAFKA_SASL_MECHANISMS)[number] | null;
  saslUsername: string | null;
  saslPasswordSet: boolean;
  /** The brokers' authority as given (a certificate is public); null trusts the system's authorities. */
  tlsCaPem: string | null;
  /** mTLS: the client certificate (public); its key only as "set". */
  tlsClientCertPem: string | null;
  tlsClientKeySet: boolean;
  schemaRegistryUrl: string | null;
  schemaRegistryUsername: string | null;
  schemaRegistryPasswordSet: boolean;
  /** Connectors reading through this connection; it cannot be deleted while there are any. */
  usedBy: ConnectorReference[];
}

export interface KustoConnectionView {
  id: string;
  name: string;
  clusterUrl: string;
  /** As stored; null means derived from the cluster URL. */
  ingestUrl: string | null;
  authKind: TKustoAuthKind;
  tenantId: string | null;
  appId: string | null;
  appKeySet: boolean;
  certificateSet: boolean;
  sendX5c: boolean;
  managedIdentityClientId: string | null;
  tokenFilePath: string | null;
  principalRole: TKustoPrincipalRole;
  lastTest: TKustoConnectionTest | null;
  usedBy: ConnectorReference[];
}
