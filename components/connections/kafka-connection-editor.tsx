'use client';

import { useId, useState } from 'react';
import {
  KAFKA_SASL_MECHANISMS,
  KAFKA_SECURITY_PROTOCOLS,
  ZKafkaConnectionInput,
  ZKafkaConnectionUpdate,
  type KafkaConnectionView,
  type TKafkaConnectionInput,
  usesTls,
} from '@/lib/connections/connection-definitions';
import { useCreateKafkaConnection, useTestKafkaConnection, useUpdateKafkaConnection } from '../hooks/use-kafka-connections';
import { Spinner } from '../spinner';
import { SECONDARY_BUTTON, SelectField, TextField } from '../wizard/form-fields';
import { ConnectionFormShell } from './connection-form-shell';
import { KafkaTestOutcome } from './kafka-test-outcome';
import { PemField } from './pem-field';
import { fieldErrors } from './field-errors';

type Protocol = (typeof KAFKA_SECURITY_PROTOCOLS)[number];
type Mechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

const PROTOCOL_LABELS: Record<Protocol, string> = {
  PLAINTEXT: 'PLAINTEXT — no TLS, no authentication',
  SSL: 'SSL — TLS, no authentication',
  SASL_SSL: 'SASL_SSL — TLS and SASL',
  SASL_PLAINTEXT: 'SASL_PLAINTEXT — SASL without TLS',
};

/** Adds or edits a Kafka connection; on an edit a blank password keeps the stored one. */
export function KafkaConnectionEditor({
  connection,
  onSaved,
  onCancel,
}: {
  connection: KafkaConnectionView | null;
  onSaved: (connection: KafkaConnectionView) => void;
  onCancel: () => void;
}) {
  const prefix = useId();
  const create = useCreateKafkaConnection();
  const update = useUpdateKafkaConnection(connection?.id ?? '');
  const save = connection ? update : create;
  const test = useTestKafkaConnection();
  const [name, setName] = useState(connection?.name ?? '');
  const [brokers, setBrokers] = useState(connection?.brokers.join(', ') ?? '');
  const [securityProtocol, setSecurityProtocol] = useState<Protocol>(connection?.securityProtocol ?? 'PLAINTEXT');
  const [saslMechanism, setSaslMechanism] = useState<Mechanism>(connection?.saslMechanism ?? 'SCRAM-SHA-512');
  const [saslUsername, setSaslUsername] = useState(connection?.saslUsername ?? '');
  const [saslPassword, setSaslPassword] = useState('');
  const [tlsCaPem, setTlsCaPem] = useState(connection?.tlsCaPem ?? '');
  const [tlsClientCertPem, setTlsClientCertPem] = useState(connection?.tlsClientCertPem ?? '');
  const [tlsClientKeyPem, setTlsClientKeyPem] = useState('');
  const [schemaRegistryUrl, setSchemaRegistryUrl] = useState(connection?.schemaRegistryUrl ?? '');
  const [schemaRegistryUsername, setSchemaRegistryUsername] = useState(connection?.schemaRegistryUsername ?? '');
  const [schemaRegistryPassword, setSchemaRegistryPassword] = useState('');
  const [submitted, setSubmitted] = useState(false);

  const sasl = securityProtocol.startsWith('SASL');
  const tls = usesTls(securityProtocol);
  const input: TKafkaConnectionInput = {
    name,
    brokers: brokers.split(/[\s,]+/).filter(Boolean),
    securityProtocol,
    ...(sasl ? { saslMechanism, saslUsername, saslPassword } : {}),
    ...(tls ? { tlsCaPem, tlsClientCertPem, tlsClientKeyPem } : {}),
    ...(schemaRegistryUrl.trim() ? { schemaRegistryUrl, schemaRegistryUsername, schemaRegistryPassword } : {}),
  };
  const schema = connection ? ZKafkaConnectionUpdate : ZKafkaConnectionInput;
  const errors = fieldErrors(schema, input, submitted, save.error);
  const id = (field: string) => `${prefix}-${field}`;

  function submit() {
    setSubmitted(true);
    if (!schema.safeParse(input).success) return;
    save.mutate(input, { onSuccess: onSaved });
  }

  function runTest() {
    setSubmitted(true);
    if (!schema.safeParse(input).success) return;
    test.mutate({ connection: input, ...(connection ? { connectionId: connection.id } : {}) });
  }

  return (
    <ConnectionFormShell
      label={connection ? `Edit Kafka connection ${connection.name}` : 'New Kafka connection'}
      testId="kafka-connection-form"
      editing={connection !== null}
      onSubmit={submit}
      onCancel={onCancel}
      saving={save.isPending}
      saveError={save.error}
      test={
        <>
          <div className="flex flex-wrap items-center gap-2">
            <button type="button" onClick={runTest} disabled={test.isPending} className={SECONDARY_BUTTON} data-testid="test-kafka-draft">
              {test.isPending && <Spinner />}
              {test.isPending ? 'Testing…' : 'Test connection'}
            </button>
            <p className="text-xs text-slate-500">Lists the topics with these settings, unsaved; gives up after 10 s.</p>
          </div>
          {test.data && <KafkaTestOutcome test={test.data} />}
          {test.error && <p className="mt-2 text-sm text-red-700">{test.error.message}</p>}
        </>
      }
    >
      <TextField id={id('name')} label="Name" value={name} onChange={(event) => setName(event.target.value)} error={errors.name} placeholder="prod-kafka" />
      <TextField
        id={id('brokers')}
        label="Bootstrap brokers"
        value={brokers}
        onChange={(event) => setBrokers(event.target.value)}
        error={errors.brokers}
        hint="host:port, separated by commas"
        placeholder="broker-1:9092, broker-2:9092"
      />
      <SelectField id={id('protocol')} label="Security protocol" value={securityProtocol} onChange={(event) => setSecurityProtocol(event.target.value as Protocol)}>
        {KAFKA_SECURITY_PROTOCOLS.map((protocol) => (
          <option key={protocol} value={protocol}>
            {PROTOCOL_LABELS[protocol]}
          </option>
        ))}
      </SelectField>
      {sasl && (
        <>
          <SelectField id={id('mechanism')} label="SASL mechanism" value={saslMechanism} onChange={(event) => setSaslMechanism(event.target.value as Mechanism)} error={errors.saslMechanism}>
            {KAFKA_SASL_MECHANISMS.map((mechanism) => (
              <option key={mechanism} value={mechanism}>
                {mechanism}
              </option>
            ))}
          </SelectField>
          <TextField id={id('username')} label="SASL username" value={saslUsername} autoComplete="off" onChange={(event) => setSaslUsername(event.target.value)} error={errors.saslUsername} />
          <TextField
            id={id('password')}
            label="SASL password"
            type="password"
            autoComplete="new-password"
            value={saslPassword}
            onChange={(event) => setSaslPassword(event.target.value)}
            error={errors.saslPassword}
            placeholder={connection?.saslPasswordSet ? 'set — leave blank to keep it' : ''}
            hint="Stored encrypted; it is never sent back to the browser."
          />
        </>
      )}
      {tls && (
        <>
          <PemField
            id={id('tls-ca')}
            label="Broker CA certificate (PEM)"
            value={tlsCaPem}
            onChange={setTlsCaPem}
            error={errors.tlsCaPem}
            hint="The authority that signed the brokers' certificates. Empty: the system's trusted authorities."
            placeholder="-----BEGIN CERTIFICATE-----"
          />
          <PemField
            id={id('tls-cert')}
            label="Client certificate for mutual TLS (PEM)"
            value={tlsClientCertPem}
            onChange={setTlsClientCertPem}
            error={errors.tlsClientCertPem}
            hint="Only when the brokers require a client certificate (ssl.client.auth=required)."
            placeholder="-----BEGIN CERTIFICATE-----"
          />
          {tlsClientCertPem.trim() !== '' && (
            <PemField
              id={id('tls-key')}
              label="Client private key (PEM)"
              value={tlsClientKeyPem}
              onChange={setTlsClientKeyPem}
              error={errors.tlsClientKeyPem}
              hint="Stored encrypted; it is never sent back to the browser."
              placeholder={connection?.tlsClientKeySet ? 'set — leave blank to keep it' : '-----BEGIN PRIVATE KEY-----'}
            />
          )}
        </>
      )}
      <TextField
        id={id('schema-registry-url')}
        label="Schema registry URL (optional)"
        value={schemaRegistryUrl}
        onChange={(event) => setSchemaRegistryUrl(event.target.value)}
        error={errors.schemaRegistryUrl}
        placeholder="https://registry.example.com"
        hint="A Confluent-compatible registry (Confluent, Apicurio's …/apis/ccompat/v7, Karapace, Redpanda) for topics of Avro records."
      />
      {schemaRegistryUrl.trim() !== '' && (
        <>
          <TextField id={id('schema-registry-user')} label="Registry user (basic auth)" value={schemaRegistryUsername} autoComplete="off" onChange={(event) => setSchemaRegistryUsername(event.target.value)} error={errors.schemaRegistryUsername} />
          <TextField
            id={id('schema-registry-password')}
            label="Registry password"
            type="password"
            autoComplete="new-password"
            value={schemaRegistryPassword}
            onChange={(event) => setSchemaRegistryPassword(event.target.value)}
            error={errors.schemaRegistryPassword}
            placeholder={connection?.schemaRegistryPasswordSet ? 'set — leave blank to keep it' : ''}
            hint="Stored encrypted; it is never sent back to the browser."
          />
        </>
      )}
    </ConnectionFormShell>
  );
}
