'use client';

import { useId, useState, type FormEvent } from 'react';
import { KUSTO_AUTH_LABELS, PRINCIPAL_ROLE_LABELS, type KustoConnectionView } from '@/lib/connections/connection-definitions';
import { deriveIngestUrl } from '@/lib/kusto/ingest-url';
import { ErrorBanner } from '../error-banner';
import { useChangePrincipalRole, useDeleteKustoConnection, useTestKustoConnection } from '../hooks/use-kusto-connections';
import { RelativeTime } from '../relative-time';
import { Spinner } from '../spinner';
import { PRIMARY_BUTTON, SECONDARY_BUTTON, TextField } from '../wizard/form-fields';
import { KustoTestSteps, PrincipalRoleBadge } from './connection-test-steps';
import { ConnectionCardHeader, EditButton } from './connection-form-shell';
import { DeleteConnectionButton } from './delete-connection-button';
import { KustoConnectionForm } from './kusto-connection-form';
import { Detail, UsedBy } from './used-by';

export function KustoConnectionCard({ connection }: { connection: KustoConnectionView }) {
  const [editing, setEditing] = useState(false);
  const [testing, setTesting] = useState(false);
  const remove = useDeleteKustoConnection(connection.id);

  if (editing) return <KustoConnectionForm connection={connection} onSaved={() => setEditing(false)} onCancel={() => setEditing(false)} />;

  return (
    <article data-testid={`kusto-connection-${connection.name}`} aria-label={`Kusto connection ${connection.name}`} className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <ConnectionCardHeader
        name={connection.name}
        actions={
          <>
            <button type="button" onClick={() => setTesting((open) => !open)} aria-expanded={testing} className={SECONDARY_BUTTON} data-testid="open-test">
              Test connection
            </button>
            <EditButton onClick={() => setEditing(true)} />
            <DeleteConnectionButton name={connection.name} usedBy={connection.usedBy} mutation={remove} />
          </>
        }
      >
        <PrincipalRoleBadge role={connection.principalRole} />
        <span className="text-xs text-slate-500">{PRINCIPAL_ROLE_LABELS[connection.principalRole].meaning}</span>
      </ConnectionCardHeader>
      <dl className="grid gap-x-6 gap-y-3 px-4 py-3 sm:grid-cols-2 lg:grid-cols-4">
        <Detail label="Cluster">
          <span className="font-mono text-xs break-all">{connection.clusterUrl}</span>
        </Detail>
        <Detail label="Ingest">
          <span className="font-mono text-xs break-all">{connection.ingestUrl ?? deriveIngestUrl(connection.clusterUrl)}</span>
          {connection.ingestUrl === null && <span className="text-xs text-slate-500"> (derived)</span>}
        </Detail>
        <Detail label="Authentication">
          <span data-testid="auth-summary">{authSummary(connection)}</span>
        </Detail>
        <Detail label="Used by">
          <UsedBy connectors={connection.usedBy} />
        </Detail>
      </dl>
      {remove.error && (
        <div className="px-4 pb-3">
          <ErrorBanner title="Not deleted">{remove.error.message}</ErrorBanner>
        </div>
      )}
      {(testing || connection.lastTest) && (
        <div className="border-t border-slate-100 px-4 py-3">
          {testing && <TestForm connection={connection} />}
          {connection.lastTest && <LastTest connection={connection} />}
        </div>
      )}
    </article>
  );
}

/** What the connection authenticates with; secrets only as "set". */
function authSummary(connection: KustoConnectionView): string {
  const parts: string[] = [KUSTO_AUTH_LABELS[connection.authKind]];
  if (connection.tenantId) parts.push(`tenant ${connection.tenantId}`);
  if (connection.appId) parts.push(`${connection.authKind === 'WORKLOAD_IDENTITY' ? 'client' : 'app'} ${connection.appId}`);
  if (connection.authKind === 'APPLICATION_KEY') parts.push(`key ${connection.appKeySet ? 'set' : 'not set'}`);
  if (connection.authKind === 'APPLICATION_CERTIFICATE') parts.push(`certificate ${connection.certificateSet ? 'set' : 'not set'}${connection.sendX5c ? ', x5c' : ''}`);
  if (connection.authKind === 'MANAGED_IDENTITY') parts.push(connection.managedIdentityClientId ? `user-assigned ${connection.managedIdentityClientId}` : 'system-assigned');
  if (connection.authKind === 'WORKLOAD_IDENTITY') parts.push(connection.tokenFilePath ? `token ${connection.tokenFilePath}` : 'token from AZURE_FEDERATED_TOKEN_FILE');
  return parts.join(' · ');
}

function TestForm({ connection }: { connection: KustoConnectionView }) {
  const listId = useId();
  const test = useTestKustoConnection(connection.id);
  const [database, setDatabase] = useState(connection.lastTest?.database ?? '');
  // The databases the last test saw, to pick from; any other name can be typed.
  const known = connection.lastTest?.databases ?? [];

  function submit(event: FormEvent) {
    event.preventDefault();
    if (database.trim()) test.mutate(database.trim());
  }

  return (
    <form onSubmit={submit} aria-label={`Test ${connection.name}`} className="mb-3 flex flex-wrap items-end gap-2">
      <TextField
        id={`${listId}-database`}
        label="Database"
        value={database}
        onChange={(event) => setDatabase(event.target.value)}
        list={listId}
        placeholder="gamesdb"
        className="w-64"
        autoComplete="off"
      />
      <datalist id={listId}>
        {known.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <button type="submit" disabled={test.isPending || !database.trim()} className={PRIMARY_BUTTON} data-testid="run-test">
        {test.isPending && <Spinner />}
        {test.isPending ? 'Testing…' : 'Run test'}
      </button>
      <p className="pb-1.5 text-xs text-slate-500">.show version, .show databases, then what the principal may do in the database.</p>
      {test.error && <p className="w-full text-sm text-red-700">{test.error.message}</p>}
    </form>
  );
}

function LastTest({ connection }: { connection: KustoConnectionView }) {
  const test = connection.lastTest!;
  const adopt = useChangePrincipalRole(connection.id);
  const found = test.detectedRole === 'ADMIN' || test.detectedRole === 'INGESTOR' ? test.detectedRole : null;
  return (
    <section aria-label="Last test" data-testid="last-test" className="space-y-2">
      <p className="text-xs text-slate-500">
        Last test against <span className="font-mono text-slate-700">{test.database}</span>{' '}
        <RelativeTime at={test.testedAt} />:{' '}
        <span className={test.ok ? 'font-medium text-emerald-700' : 'font-medium text-red-700'}>{test.ok ? 'passed' : 'failed'}</span>
      </p>
      <KustoTestSteps test={test} />
      {found && found !== connection.principalRole && (
        <div data-testid="adopt-role" className="flex flex-wrap items-center gap-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <span>
            The test found <strong>{PRINCIPAL_ROLE_LABELS[found].title}</strong> — {PRINCIPAL_ROLE_LABELS[found].meaning}; the connection says{' '}
            {PRINCIPAL_ROLE_LABELS[connection.principalRole].title}.
          </span>
          <button type="button" onClick={() => adopt.mutate(found)} disabled={adopt.isPending} className={SECONDARY_BUTTON}>
            {adopt.isPending && <Spinner />}
            Set role to {PRINCIPAL_ROLE_LABELS[found].title}
          </button>
          {adopt.error && <span className="text-red-700">{adopt.error.message}</span>}
        </div>
      )}
    </section>
  );
}
