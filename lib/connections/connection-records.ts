import type { KafkaConnection, KustoConnection } from '../generated/prisma/client';
import { AppError, ErrorCode } from '../errors';
import { encryptSecret } from '../secrets';
import { authUses, usesTls, type TKafkaConnection, type TKustoConnection } from './connection-definitions';

export type KafkaConnectionFields = Omit<KafkaConnection, 'id' | 'createdAt' | 'updatedAt'>;
export type KustoConnectionFields = Omit<KustoConnection, 'id' | 'createdAt' | 'updatedAt' | 'lastTest' | 'lastTestedAt'>;

/**
 * The columns a validated form becomes: secrets encrypted, fields the chosen kind does not use
 * cleared. A secret left blank is taken from `stored` (an edit); a kind that needs one and has
 * neither is a 422 naming the field.
 */
export function kafkaConnectionFields(input: TKafkaConnection, secretKey: string, stored?: KafkaConnection): KafkaConnectionFields {
  const sasl = input.securityProtocol.startsWith('SASL');
  const saslPasswordEnc = !sasl ? null : input.saslPassword ? encryptSecret(input.saslPassword, secretKey) : (stored?.saslPasswordEnc ?? null);
  if (sasl && !saslPasswordEnc) throw missing('saslPassword', 'is required for SASL');
  const tls = usesTls(input.securityProtocol);
  const tlsClientCertPem = tls ? (input.tlsClientCertPem ?? null) : null;
  const tlsClientKeyPemEnc = !tlsClientCertPem ? null : input.tlsClientKeyPem ? encryptSecret(input.tlsClientKeyPem, secretKey) : (stored?.tlsClientKeyPemEnc ?? null);
  if (tlsClientCertPem && !tlsClientKeyPemEnc) throw missing('tlsClientKeyPem', 'is required with a client certificate');
  const schemaRegistryUrl = input.schemaRegistryUrl?.replace(/\/+$/, '') ?? null;
  const schemaRegistryUsername = schemaRegistryUrl ? (input.schemaRegistryUsername ?? null) : null;
  const schemaRegistryPasswordEnc = secretColumn(schemaRegistryUsername !== null, input.schemaRegistryPassword, stored?.schemaRegistryPasswordEnc, secretKey);
  return {
    name: input.name,
    brokers: input.brokers,
    securityProtocol: input.securityProtocol,
    saslMechanism: sasl ? (input.saslMechanism ?? null) : null,
    saslUsername: sasl ? (input.saslUsername ?? null) : null,
    saslPasswordEnc,
    tlsCaPem: tls ? (input.tlsCaPem ?? null) : null,
    tlsClientCertPem,
    tlsClientKeyPemEnc,
    schemaRegistryUrl,
    schemaRegistryUsername,
    schemaRegistryPasswordEnc,
  };
}

export function kustoConnectionFields(input: TKustoConnection, secretKey: string, stored?: KustoConnection): KustoConnectionFields {
  const kind = input.authKind;
  const appKeyEnc = secretColumn(kind === 'APPLICATION_KEY', input.appKey, stored?.appKeyEnc, secretKey);
  const certificatePemEnc = secretColumn(kind === 'APPLICATION_CERTIFICATE', input.certificatePem, stored?.certificatePemEnc, secretKey);
  if (kind === 'APPLICATION_KEY' && !appKeyEnc) throw missing('appKey', 'is required');
  if (kind === 'APPLICATION_CERTIFICATE' && !certificatePemEnc) throw missing('certificatePem', 'is required');
  return {
    name: input.name,
    clusterUrl: input.clusterUrl.replace(/\/+$/, ''),
    ingestUrl: input.ingestUrl?.replace(/\/+$/, '') ?? null,
    authKind: kind,
    tenantId: authUses(kind, 'tenantId') ? (input.tenantId ?? null) : null,
    appId: authUses(kind, 'appId') ? (input.appId ?? null) : null,
    appKeyEnc,
    certificatePemEnc,
    sendX5c: authUses(kind, 'sendX5c') ? input.sendX5c : false,
    managedIdentityClientId: authUses(kind, 'managedIdentityClientId') ? (input.managedIdentityClientId ?? null) : null,
    tokenFilePath: authUses(kind, 'tokenFilePath') ? (input.tokenFilePath ?? null) : null,
    principalRole: input.principalRole,
  };
}

function secretColumn(used: boolean, given: string | undefined, stored: string | null | undefined, secretKey: string): string | null {
  if (!used) return null;
  return given ? encryptSecret(given, secretKey) : (stored ?? null);
}

function missing(field: string, message: string): AppError {
  return new AppError(ErrorCode.UNPROCESSABLE, `Invalid input — ${field}: ${message}`, [{ field, message }]);
}
