import { AppError, ErrorCode } from '../errors';

/**
 * What a user should read when the brokers refused or could not be reached — in words, never the
 * socket's own text (`connect ECONNREFUSED 10.0.0.7:9092` tells a prober which ports are open).
 * A broker that answered with a Kafka error code is named by that code's message.
 */
export function describeBrokerFailure(error: unknown, brokers: string): string {
  const { name = '', message = '', type } = (error ?? {}) as { name?: string; message?: string; type?: string };
  const who = brokers === 'the brokers' ? 'The brokers' : `The brokers at ${brokers}`;
  if (name === 'KafkaJSSASLAuthenticationError') {
    const mechanism = saslMechanismOf(message);
    return `${who} refused the SASL${mechanism ? ` ${mechanism}` : ''} credentials: check the user name and password.`;
  }
  // TLS alert 42/116: the broker requires a client certificate (ssl.client.auth=required) and got none it trusts.
  if (/bad certificate|certificate required/i.test(message)) {
    return `${who} refused the client certificate (mutual TLS): give the connection a client certificate and key that the brokers' CA signed.`;
  }
  if (/SSL|TLS|certificate/i.test(message)) return `The TLS handshake with ${brokers} failed. Check the security protocol and the brokers' certificates.`;
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return `The broker host name does not resolve: ${brokers}.`;
  if (name === 'KafkaJSProtocolError' && typeof type === 'string') return `The brokers answered with ${type}: ${message}.`;
  return `Could not connect to ${brokers}. Check the addresses, the port and the security protocol, and that this server may reach them.`;
}

/** kafkajs names the mechanism as "SASL PLAIN" or "SASL SCRAM SHA512 authentication failed". */
function saslMechanismOf(message: string): string | null {
  const named = /SASL (PLAIN|SCRAM SHA(?:256|512)|OAUTHBEARER)/i.exec(message)?.[1];
  return named ? named.toUpperCase().replace(/ SHA/, '-SHA-').replace(' ', '-') : null;
}

export function brokerError(error: unknown, action: string, brokers = 'the brokers'): AppError {
  if (error instanceof AppError) return error;
  return new AppError(ErrorCode.TARGET_ERROR, `${action} failed: ${describeBrokerFailure(error, brokers)}`);
}

/**
 * The brokers could not be reached or had no coordinator or leader for a while (a restart, a
 * network cut): worth trying again later — unlike a refusal of credentials or authorisation,
 * which stays refused. Looks through kafkajs's wrappers (its `cause` chain).
 */
export function isBrokerUnavailable(error: unknown): boolean {
  let current = error as { name?: string; message?: string; cause?: unknown } | undefined;
  for (let depth = 0; current && depth < 5; depth++, current = current.cause as typeof current) {
    const text = `${current.name ?? ''}: ${current.message ?? ''}`;
    if (/SASL|authori[sz]|authenticat/i.test(text)) return false;
    if (/group coordinator|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Connection error|Connection timeout|Closed connection|no leader|leadership election|not the correct coordinator|KafkaJSNumberOfRetriesExceeded|KafkaJSBrokerNotFound|KafkaJSRequestTimeoutError/i.test(text)) return true;
  }
  return false;
}
