import { z } from 'zod';
import { KAFKA_SASL_MECHANISMS, KAFKA_SECURITY_PROTOCOLS, KUSTO_AUTH_KINDS, KUSTO_PRINCIPAL_ROLES } from '../connections/connection-definitions';
import { ZConnectorName } from '../connectors/connector-definition';

/**
 * Kastor's configuration as a JSON document to keep in git: connectors with their connections
 * named rather than by id (ids differ between installations), and the connections without any
 * secret. The same schema reads an import; definitions are validated again when saved.
 */
export const CONFIG_API_VERSION = 'kastor.io/v1';

export const ZExportedKafkaConnection = z.object({
  name: z.string().min(1),
  brokers: z.array(z.string()).min(1),
  securityProtocol: z.enum(KAFKA_SECURITY_PROTOCOLS),
  saslMechanism: z.enum(KAFKA_SASL_MECHANISMS).nullable().default(null),
  saslUsername: z.string().nullable().default(null),
  tlsCaPem: z.string().nullable().default(null),
  tlsClientCertPem: z.string().nullable().default(null),
});
export type TExportedKafkaConnection = z.infer<typeof ZExportedKafkaConnection>;

export const ZExportedKustoConnection = z.object({
  name: z.string().min(1),
  clusterUrl: z.string().min(1),
  ingestUrl: z.string().nullable().default(null),
  authKind: z.enum(KUSTO_AUTH_KINDS),
  tenantId: z.string().nullable().default(null),
  appId: z.string().nullable().default(null),
  sendX5c: z.boolean().default(false),
  managedIdentityClientId: z.string().nullable().default(null),
  tokenFilePath: z.string().nullable().default(null),
  principalRole: z.enum(KUSTO_PRINCIPAL_ROLES).default('ADMIN'),
});
export type TExportedKustoConnection = z.infer<typeof ZExportedKustoConnection>;

/** A connector definition with its connections by name; everything else is the definition as saved. */
export const ZExportedConnector = z
  .object({
    name: ZConnectorName,
    kafkaConnection: z.string().min(1, 'names the Kafka connection'),
    kustoConnection: z.string().min(1, 'names the Kusto connection'),
  })
  .catchall(z.unknown());
export type TExportedConnector = z.infer<typeof ZExportedConnector>;

export const ZConfigDocument = z
  .object({
    apiVersion: z.literal(CONFIG_API_VERSION, { message: `must be "${CONFIG_API_VERSION}"` }),
    exportedAt: z.string().optional(),
    connections: z
      .object({
        kafka: z.array(ZExportedKafkaConnection).default([]),
        kusto: z.array(ZExportedKustoConnection).default([]),
      })
      .default({ kafka: [], kusto: [] }),
    connectors: z.array(ZExportedConnector).default([]),
  })
  .superRefine((document, context) => {
    const seen = new Set<string>();
    document.connectors.forEach((connector, index) => {
      if (seen.has(connector.name)) context.addIssue({ code: 'custom', path: ['connectors', index, 'name'], message: `"${connector.name}" appears twice` });
      seen.add(connector.name);
    });
  });
export type TConfigDocument = z.output<typeof ZConfigDocument>;

export const ZImportRequest = z
  .object({
    /** A document as GET /api/export writes it… */
    document: z.unknown().optional(),
    /** …or a Kafka Connect Kusto sink config, with the connections its connectors use. */
    kafkaConnect: z
      .object({
        config: z.union([z.string().min(1, 'is required'), z.record(z.string(), z.unknown())]),
        kafkaConnection: z.string().min(1, 'names the Kafka connection to read through'),
        kustoConnection: z.string().min(1, 'names the Kusto connection whose table holds the mapping'),
      })
      .optional(),
    /** Plan only: what would be created or changed, nothing saved. */
    dryRun: z.boolean().default(false),
  })
  .strict()
  .refine((request) => (request.document === undefined) !== (request.kafkaConnect === undefined), {
    path: ['document'],
    message: 'give either a document or kafkaConnect',
  });

export interface ValueChange {
  /** Dotted path in the connector definition, e.g. `flush.maxRecords`. */
  path: string;
  before: unknown;
  after: unknown;
}

export type ImportAction = 'create' | 'update' | 'unchanged';

export interface ImportChange {
  kind: 'connector' | 'kafka-connection' | 'kusto-connection';
  name: string;
  action: ImportAction;
  /** For an update: each changed value. */
  changes: ValueChange[];
  /** E.g. an existing connection whose settings differ from the document's (connections are not overwritten). */
  note?: string;
}

export interface ImportResult {
  dryRun: boolean;
  changes: ImportChange[];
  /** Created or updated connectors: name → id. */
  connectorIds: Record<string, string>;
}
