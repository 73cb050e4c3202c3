import { AppError, ErrorCode } from '../errors';

/**
 * What a user should read when the brokers refused or could not be reached — in words, never the
 * socket's own text (`connect ECONNREFUSED 10.0.0.7:9092` tells a prober which ports are open).
 * A broker that answered with a Kafka error code is named by that code's message.
 */
export function describeBrokerFailure(error: unknown, brokers: string): string {
  const { name = '', message = '', type } = (error ?? {}) as { name?: string; message?: string; type?: string };
  if (name === 'KafkaJSSASLAuthenticationError') return `The brokers at ${brokers} refused the SASL credentials.`;
  if (/SSL|TLS|certificate/i.test(message)) return `The TLS handshake with ${brokers} failed. Check the security protocol and the brokers' certificates.`;
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return `The broker host name does not resolve: ${brokers}.`;
  if (name === 'KafkaJSProtocolError' && typeof type === 'string') return `The brokers answered with ${type}: ${message}.`;
  return `Could not connect to ${brokers}. Check the addresses, the port and the security protocol, and that this server may reach them.`;
}

export function brokerError(error: unknown, action: string, brokers = 'the brokers'): AppError {
  if (error instanceof AppError) return error;
  return new AppError(ErrorCode.TARGET_ERROR, `${action} failed: ${describeBrokerFailure(error, brokers)}`);
}
