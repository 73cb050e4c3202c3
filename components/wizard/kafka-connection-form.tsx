'use client';

import { useState, type FormEvent } from 'react';
import { ZKafkaConnectionInput, type TKafkaConnectionInput } from '@/lib/connections/connection-definitions';
import { ApiError } from '../hooks/fetch-json';
import { useCreateKafkaConnection, type KafkaConnectionView } from '../hooks/use-kafka-connections';
import { ErrorBanner } from '../error-banner';
import { Spinner } from '../spinner';
import { PRIMARY_BUTTON, SECONDARY_BUTTON, SelectField, TextField } from './form-fields';
import type { FieldErrors } from './wizard-draft';

const SECURITY_OPTIONS = {
  PLAINTEXT: { label: 'PLAINTEXT (no TLS, no authentication)', securityProtocol: 'PLAINTEXT', saslMechanism: undefined },
  'SASL_SSL:PLAIN': { label: 'SASL PLAIN over TLS', securityProtocol: 'SASL_SSL', saslMechanism: 'PLAIN' },
  'SASL_SSL:SCRAM-SHA-256': { label: 'SASL SCRAM-SHA-256 over TLS', securityProtocol: 'SASL_SSL', saslMechanism: 'SCRAM-SHA-256' },
  'SASL_SSL:SCRAM-SHA-512': { label: 'SASL SCRAM-SHA-512 over TLS', securityProtocol: 'SASL_SSL', saslMechanism: 'SCRAM-SHA-512' },
} as const;
type SecurityOption = keyof typeof SECURITY_OPTIONS;

/**
 * Adds a Kafka connection. Kept out of the persisted wizard draft on purpose: it holds a
 * password, which must not sit in browser storage.
 */
export function KafkaConnectionForm({ onCreated, onCancel }: { onCreated: (connection: KafkaConnectionView) => void; onCancel: () => void }) {
  const create = useCreateKafkaConnection();
  const [name, setName] = useState('');
  const [brokers, setBrokers] = useState('');
  const [security, setSecurity] = useState<SecurityOption>('PLAINTEXT');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [submitted, setSubmitted] = useState(false);

  const { securityProtocol, saslMechanism } = SECURITY_OPTIONS[security];
  const sasl = saslMechanism !== undefined;
  const input: TKafkaConnectionInput = {
    name: name.trim(),
    brokers: brokers.split(/[\s,]+/).filter(Boolean),
    securityProtocol,
    ...(sasl ? { saslMechanism, saslUsername: username || undefined, saslPassword: password || undefined } : {}),
  };
  const errors = validate(input, sasl);
  const serverErrors = create.error instanceof ApiError ? Object.fromEntries(create.error.issues.map((issue) => [issue.field, issue.message])) : {};
  const shown: FieldErrors = submitted ? { ...serverErrors, ...errors } : serverErrors;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(errors).length > 0) return;
    onCreated(await create.mutateAsync(input));
  }

  return (
    <form onSubmit={(event) => void submit(event).catch(() => undefined)} aria-label="New Kafka connection" className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-4">
      <h4 className="text-sm font-semibold text-slate-900">New Kafka connection</h4>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField id="kafka-name" label="Name" value={name} onChange={(event) => setName(event.target.value)} error={shown.name} placeholder="prod-kafka" />
        <TextField
          id="kafka-brokers"
          label="Bootstrap brokers"
          value={brokers}
          onChange={(event) => setBrokers(event.target.value)}
          error={shown.brokers}
          hint="host:port, separated by commas"
          placeholder="broker-1:9092, broker-2:9092"
        />
        <SelectField id="kafka-security" label="Security" value={security} onChange={(event) => setSecurity(event.target.value as SecurityOption)}>
          {Object.entries(SECURITY_OPTIONS).map(([value, option]) => (
            <option key={value} value={value}>
              {option.label}
            </option>
          ))}
        </SelectField>
        {sasl && (
          <>
            <TextField id="kafka-username" label="SASL username" value={username} autoComplete="off" onChange={(event) => setUsername(event.target.value)} error={shown.saslUsername} />
            <TextField
              id="kafka-password"
              label="SASL password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              error={shown.saslPassword}
              hint="Stored encrypted; it is never sent back to the browser."
            />
          </>
        )}
      </div>
      {create.error && !(create.error instanceof ApiError && create.error.issues.length > 0) && (
        <ErrorBanner title="Could not save the connection">{create.error.message}</ErrorBanner>
      )}
      <div className="flex gap-2">
        <button type="submit" disabled={create.isPending} className={PRIMARY_BUTTON}>
          {create.isPending && <Spinner />}
          Save connection
        </button>
        <button type="button" onClick={onCancel} className={SECONDARY_BUTTON}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function validate(input: TKafkaConnectionInput, sasl: boolean): FieldErrors {
  const errors: FieldErrors = {};
  const result = ZKafkaConnectionInput.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) errors[String(issue.path[0] ?? 'name')] ??= issue.message;
  }
  if (sasl && !input.saslUsername) errors.saslUsername = 'is required for SASL';
  if (sasl && !input.saslPassword) errors.saslPassword = 'is required for SASL';
  return errors;
}
