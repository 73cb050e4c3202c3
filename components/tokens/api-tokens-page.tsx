'use client';

import { useState, type FormEvent } from 'react';
import { ROLE_LABELS, ROLES, type TRole } from '@/lib/auth/roles';
import { CopyButton } from '../copy-button';
import { ErrorBanner } from '../error-banner';
import { formatTimestamp } from '../format';
import { ApiError } from '../hooks/fetch-json';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from '../hooks/use-api-tokens';
import { RelativeTime } from '../relative-time';
import { LoadingNote, PRIMARY_BUTTON, SECONDARY_BUTTON, SelectField, TextField } from '../wizard/form-fields';

/** API tokens for automation: created by an admin, shown once, scoped to a role, revocable, last use shown. */
export function ApiTokensPage() {
  const tokens = useApiTokens();
  const create = useCreateApiToken();
  const revoke = useRevokeApiToken();
  const [name, setName] = useState('');
  const [role, setRole] = useState<TRole>('VIEWER');
  const [expiresInDays, setExpiresInDays] = useState('90');

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, role, ...(expiresInDays ? { expiresInDays: Number(expiresInDays) } : {}) }, { onSuccess: () => setName('') });
  }
  const fieldError = (field: string) => (create.error instanceof ApiError ? create.error.issues.find((issue) => issue.field === field)?.message : undefined);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">API tokens</h1>
        <p className="mt-1 text-sm text-slate-600">
          For automation (CI, configuration as code): send <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">Authorization: Bearer &lt;token&gt;</code>.
          A token acts with its role, is shown once, and is stored only as a hash.
        </p>
      </div>

      <form onSubmit={submit} className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-[1fr_12rem_10rem_auto] sm:items-end" aria-label="Create an API token">
        <TextField id="token-name" label="Name" value={name} onChange={(event) => setName(event.target.value)} placeholder="ci-deploy" required maxLength={100} error={fieldError('name')} />
        <SelectField id="token-role" label="Role" value={role} onChange={(event) => setRole(event.target.value as TRole)}>
          {ROLES.map((value) => (
            <option key={value} value={value}>
              {ROLE_LABELS[value].title}
            </option>
          ))}
        </SelectField>
        <SelectField id="token-expiry" label="Expires" value={expiresInDays} onChange={(event) => setExpiresInDays(event.target.value)}>
          <option value="30">in 30 days</option>
          <option value="90">in 90 days</option>
          <option value="365">in a year</option>
          <option value="">never</option>
        </SelectField>
        <button type="submit" disabled={create.isPending || !name.trim()} className={PRIMARY_BUTTON}>
          {create.isPending ? 'Creating…' : 'Create token'}
        </button>
        <p className="text-xs text-slate-500 sm:col-span-4">
          {ROLE_LABELS[role].title}: {ROLE_LABELS[role].meaning}.
        </p>
      </form>

      {create.isError && !fieldError('name') && <ErrorBanner title="Could not create the token">{create.error.message}</ErrorBanner>}
      {create.data && (
        <section data-testid="new-token" aria-label="New token" className="space-y-2 rounded-lg border border-emerald-300 bg-emerald-50 p-4">
          <p className="text-sm font-medium text-emerald-900">
            Token “{create.data.apiToken.name}” created. Copy it now: it is not shown again.
          </p>
          <div className="flex flex-wrap items-center gap-3">
            <code data-testid="new-token-value" className="rounded border border-emerald-200 bg-white px-2 py-1 font-mono text-sm break-all text-slate-900">
              {create.data.token}
            </code>
            <CopyButton text={create.data.token} label="Copy token" />
          </div>
        </section>
      )}

      {tokens.isPending ? (
        <LoadingNote>Loading tokens…</LoadingNote>
      ) : tokens.isError ? (
        <ErrorBanner title="Could not load the tokens">{tokens.error.message}</ErrorBanner>
      ) : tokens.data.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">No API tokens yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
              <tr>
                <th className="px-4 py-2">Name</th>
                <th className="px-4 py-2">Role</th>
                <th className="px-4 py-2">Token</th>
                <th className="px-4 py-2">Created</th>
                <th className="px-4 py-2">Last used</th>
                <th className="px-4 py-2">Expires</th>
                <th className="px-4 py-2">
                  <span className="sr-only">Revoke</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.data.map((token) => (
                <tr key={token.id} data-testid={`token-row-${token.name}`} className={token.revokedAt ? 'text-slate-400' : ''}>
                  <td className="px-4 py-2 font-medium">{token.name}</td>
                  <td className="px-4 py-2">{ROLE_LABELS[token.role].title}</td>
                  <td className="px-4 py-2 font-mono text-xs">{token.prefix}…</td>
                  <td className="px-4 py-2">
                    {formatTimestamp(token.createdAt)} <span className="text-slate-500">by {token.createdBy}</span>
                  </td>
                  <td className="px-4 py-2">{token.lastUsedAt ? <RelativeTime at={token.lastUsedAt} /> : <span className="text-slate-400">never</span>}</td>
                  <td className="px-4 py-2">{token.expiresAt ? formatTimestamp(token.expiresAt) : 'never'}</td>
                  <td className="px-4 py-2 text-right">
                    {token.revokedAt ? (
                      <span>revoked {formatTimestamp(token.revokedAt)}</span>
                    ) : (
                      <button type="button" className={SECONDARY_BUTTON} disabled={revoke.isPending} onClick={() => revoke.mutate(token.id)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoke.isError && <ErrorBanner title="Could not revoke the token">{revoke.error.message}</ErrorBanner>}
    </div>
  );
}
