'use client';

import { useId, useState } from 'react';
import {
  authUses,
  KUSTO_AUTH_KINDS,
  KUSTO_AUTH_LABELS,
  KUSTO_PRINCIPAL_ROLES,
  PRINCIPAL_ROLE_LABELS,
  ZKustoConnectionInput,
  ZKustoConnectionUpdate,
  type KustoConnectionView,
  type TKustoAuthKind,
  type TKustoConnectionInput,
  type TKustoPrincipalRole,
} from '@/lib/connections/connection-definitions';
import { deriveIngestUrl } from '@/lib/kusto/ingest-url';
import { useSaveKustoConnection, useTestKustoDraft } from '../hooks/use-kusto-connections';
import { Spinner } from '../spinner';
import { controlClass, FieldMessage, SECONDARY_BUTTON, SelectField, TextField } from '../wizard/form-fields';
import { ConnectionFormShell } from './connection-form-shell';
import { fieldErrors } from './field-errors';
import { KustoTestSteps } from './connection-test-steps';

const AUTH_HINTS: Record<TKustoAuthKind, string> = {
  APPLICATION_KEY: 'A Microsoft Entra app registration and its client secret.',
  APPLICATION_CERTIFICATE: 'A Microsoft Entra app registration and a certificate with its private key.',
  MANAGED_IDENTITY: 'The Azure identity of the VM, App Service or container Kastor runs on.',
  WORKLOAD_IDENTITY: 'AKS workload identity: a federated token file exchanged for an app token.',
  AZURE_CLI: 'The account signed in with `az login` on the machine running Kastor; for development.',
  NONE: 'No credentials: the local Kusto-compatible engine.',
};

/**
 * Adds or edits a Kusto connection. Secrets are never sent back by the API, so on an edit their
 * fields start empty and a blank one keeps the stored secret.
 */
export function KustoConnectionForm({
  connection,
  onSaved,
  onCancel,
}: {
  connection: KustoConnectionView | null;
  onSaved: (connection: KustoConnectionView) => void;
  onCancel: () => void;
}) {
  const prefix = useId();
  const save = useSaveKustoConnection(connection?.id ?? null);
  const testDraft = useTestKustoDraft();
  const [name, setName] = useState(connection?.name ?? '');
  const [clusterUrl, setClusterUrl] = useState(connection?.clusterUrl ?? '');
  // Follows the cluster URL as ADX derives it until the user types their own.
  const [ingestUrl, setIngestUrl] = useState<string | null>(connection?.ingestUrl ?? null);
  const [authKind, setAuthKind] = useState<TKustoAuthKind>(connection?.authKind ?? 'APPLICATION_KEY');
  const [tenantId, setTenantId] = useState(connection?.tenantId ?? '');
  const [appId, setAppId] = useState(connection?.appId ?? '');
  const [appKey, setAppKey] = useState('');
  const [certificatePem, setCertificatePem] = useState('');
  const [sendX5c, setSendX5c] = useState(connection?.sendX5c ?? false);
  const [managedIdentityClientId, setManagedIdentityClientId] = useState(connection?.managedIdentityClientId ?? '');
  const [tokenFilePath, setTokenFilePath] = useState(connection?.tokenFilePath ?? '');
  const [principalRole, setPrincipalRole] = useState<TKustoPrincipalRole>(connection?.principalRole ?? 'ADMIN');
  const [testDatabase, setTestDatabase] = useState(connection?.lastTest?.database ?? '');
  const [submitted, setSubmitted] = useState(false);

  const derivedIngestUrl = clusterUrl.trim() ? deriveIngestUrl(clusterUrl.trim()) : '';
  const shownIngestUrl = ingestUrl ?? derivedIngestUrl;
  const input: TKustoConnectionInput = {
    name,
    clusterUrl,
    // Left as derived, nothing is stored: the SDK derives it the same way at run time.
    ingestUrl: ingestUrl === null || ingestUrl.trim() === derivedIngestUrl ? '' : ingestUrl,
    authKind,
    tenantId,
    appId,
    appKey,
    certificatePem,
    sendX5c,
    managedIdentityClientId,
    tokenFilePath,
    principalRole,
  };
  const schema = connection ? ZKustoConnectionUpdate : ZKustoConnectionInput;
  const errors = fieldErrors(schema, input, submitted, save.error);
  const uses = (field: Parameters<typeof authUses>[1]) => authUses(authKind, field);
  const id = (field: string) => `${prefix}-${field}`;

  function submit() {
    setSubmitted(true);
    if (!schema.safeParse(input).success) return;
    save.mutate(input, { onSuccess: onSaved });
  }

  function runTest() {
    setSubmitted(true);
    if (!schema.safeParse(input).success || !testDatabase.trim()) return;
    testDraft.mutate({ connection: input, database: testDatabase.trim(), ...(connection ? { connectionId: connection.id } : {}) });
  }

  async function readCertificateFile(file: File | undefined) {
    if (file) setCertificatePem(await file.text());
  }

  return (
    <ConnectionFormShell
      label={connection ? `Edit Kusto connection ${connection.name}` : 'New Kusto connection'}
      testId="kusto-connection-form"
      editing={connection !== null}
      onSubmit={submit}
      onCancel={onCancel}
      saving={save.isPending}
      saveError={save.error}
      test={
        <>
          <div className="flex flex-wrap items-end gap-2">
            <TextField id={id('test-database')} label="Test against database" value={testDatabase} onChange={(event) => setTestDatabase(event.target.value)} placeholder="gamesdb" className="w-64" />
            <button type="button" onClick={runTest} disabled={testDraft.isPending || !testDatabase.trim()} className={SECONDARY_BUTTON} data-testid="test-draft">
              {testDraft.isPending && <Spinner />}
              {testDraft.isPending ? 'Testing…' : 'Test connection'}
            </button>
            <p className="pb-1.5 text-xs text-slate-500">Runs .show version, .show databases and the database’s principals with these settings, unsaved.</p>
          </div>
          {testDraft.data && (
            <div className="mt-3">
              <KustoTestSteps test={testDraft.data} />
            </div>
          )}
          {testDraft.error && <p className="mt-2 text-sm text-red-700">{testDraft.error.message}</p>}
        </>
      }
    >
      <TextField id={id('name')} label="Name" value={name} onChange={(event) => setName(event.target.value)} error={errors.name} placeholder="prod-adx" />
      <SelectField
        id={id('role')}
        label="Principal role"
        value={principalRole}
        onChange={(event) => setPrincipalRole(event.target.value as TKustoPrincipalRole)}
        hint="What the principal may do in the target databases; Test connection tells you."
      >
        {KUSTO_PRINCIPAL_ROLES.map((role) => (
          <option key={role} value={role}>
            {PRINCIPAL_ROLE_LABELS[role].title} — {PRINCIPAL_ROLE_LABELS[role].meaning}
          </option>
        ))}
      </SelectField>
      <TextField
        id={id('cluster-url')}
        label="Cluster URL"
        value={clusterUrl}
        onChange={(event) => setClusterUrl(event.target.value)}
        error={errors.clusterUrl}
        placeholder="https://mycluster.westeurope.kusto.windows.net"
        inputMode="url"
      />
      <TextField
        id={id('ingest-url')}
        label="Ingest URL"
        value={shownIngestUrl}
        onChange={(event) => setIngestUrl(event.target.value)}
        error={errors.ingestUrl}
        placeholder="https://ingest-mycluster.westeurope.kusto.windows.net"
        inputMode="url"
        hint={
          ingestUrl === null || ingestUrl === derivedIngestUrl ? (
            'Derived from the cluster URL, as ADX does; edit it if yours differs.'
          ) : (
            <button type="button" className="text-sky-700 hover:underline" onClick={() => setIngestUrl(null)}>
              Derive from the cluster URL again
            </button>
          )
        }
      />
      <SelectField
        id={id('auth-kind')}
        label="Authentication"
        value={authKind}
        onChange={(event) => setAuthKind(event.target.value as TKustoAuthKind)}
        hint={AUTH_HINTS[authKind]}
      >
        {KUSTO_AUTH_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {KUSTO_AUTH_LABELS[kind]}
          </option>
        ))}
      </SelectField>
      {uses('tenantId') && (
        <TextField id={id('tenant')} label="Tenant id" value={tenantId} onChange={(event) => setTenantId(event.target.value)} error={errors.tenantId} placeholder="contoso.onmicrosoft.com or its GUID" autoComplete="off" />
      )}
      {uses('appId') && (
        <TextField
          id={id('app-id')}
          label={authKind === 'WORKLOAD_IDENTITY' ? 'Client id' : 'Application (client) id'}
          value={appId}
          onChange={(event) => setAppId(event.target.value)}
          error={errors.appId}
          autoComplete="off"
        />
      )}
      {uses('appKey') && (
        <TextField
          id={id('app-key')}
          label="Application key"
          type="password"
          autoComplete="new-password"
          value={appKey}
          onChange={(event) => setAppKey(event.target.value)}
          error={errors.appKey}
          placeholder={connection?.appKeySet ? 'set — leave blank to keep it' : ''}
          hint="Stored encrypted; it is never sent back to the browser."
        />
      )}
      {uses('managedIdentityClientId') && (
        <TextField
          id={id('mi-client-id')}
          label="User-assigned identity client id"
          value={managedIdentityClientId}
          onChange={(event) => setManagedIdentityClientId(event.target.value)}
          error={errors.managedIdentityClientId}
          hint="Empty: the system-assigned identity."
          autoComplete="off"
        />
      )}
      {uses('tokenFilePath') && (
        <TextField
          id={id('token-file')}
          label="Federated token file"
          value={tokenFilePath}
          onChange={(event) => setTokenFilePath(event.target.value)}
          error={errors.tokenFilePath}
          hint="Empty: AZURE_FEDERATED_TOKEN_FILE, which AKS sets."
          autoComplete="off"
        />
      )}
      {uses('certificatePem') && (
        <div className="md:col-span-2">
          <label htmlFor={id('certificate')} className="block text-sm font-medium text-slate-800">
            Certificate and private key (PEM)
          </label>
          <textarea
            id={id('certificate')}
            rows={5}
            value={certificatePem}
            onChange={(event) => setCertificatePem(event.target.value)}
            aria-invalid={errors.certificatePem ? true : undefined}
            aria-describedby={`${id('certificate')}-message`}
            placeholder={connection?.certificateSet ? 'set — leave blank to keep it' : '-----BEGIN CERTIFICATE-----\n…\n-----BEGIN PRIVATE KEY-----\n…'}
            className={`mt-1 font-mono text-xs ${controlClass(errors.certificatePem)}`}
          />
          <FieldMessage id={id('certificate')} error={errors.certificatePem} hint="Stored encrypted; it is never sent back to the browser." />
          <div className="mt-2 flex flex-wrap items-center gap-4 text-sm text-slate-700">
            <label className="flex items-center gap-2">
              <span>Read from a file</span>
              <input type="file" accept=".pem,.crt,.key,text/plain" onChange={(event) => void readCertificateFile(event.target.files?.[0])} className="text-xs" />
            </label>
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={sendX5c} onChange={(event) => setSendX5c(event.target.checked)} />
              Send the certificate chain (x5c), for subject name / issuer authentication
            </label>
          </div>
        </div>
      )}
    </ConnectionFormShell>
  );
}
