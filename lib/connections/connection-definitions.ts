import { z } from 'zod';

export const ZKafkaConnectionInput = z
  .object({
    name: z.string().min(1, 'is required').max(100),
    brokers: z
      .array(z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port'))
      .min(1, 'needs at least one broker'),
    securityProtocol: z.enum(['PLAINTEXT', 'SASL_PLAINTEXT', 'SASL_SSL', 'SSL']).default('PLAINTEXT'),
    saslMechanism: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']).optional(),
    saslUsername: z.string().min(1).optional(),
    saslPassword: z.string().min(1).optional(),
  })
  .refine((input) => !input.securityProtocol.startsWith('SASL') || (input.saslMechanism && input.saslUsername && input.saslPassword), {
    message: 'SASL needs a mechanism, a username and a password',
    path: ['saslPassword'],
  });
export type TKafkaConnectionInput = z.input<typeof ZKafkaConnectionInput>;

export const ZKustoConnectionInput = z
  .object({
    name: z.string().min(1, 'is required').max(100),
    clusterUrl: z.string().url('must be a URL such as https://mycluster.westeurope.kusto.windows.net'),
    ingestUrl: z.string().url().optional(),
    authKind: z.enum(['NONE', 'APPLICATION_KEY']).default('NONE'),
    tenantId: z.string().min(1).optional(),
    appId: z.string().min(1).optional(),
    appKey: z.string().min(1).optional(),
  })
  .refine((input) => input.authKind !== 'APPLICATION_KEY' || (input.appId && input.appKey), {
    message: 'application-key authentication needs an app id and an app key',
    path: ['appKey'],
  });
export type TKustoConnectionInput = z.input<typeof ZKustoConnectionInput>;
