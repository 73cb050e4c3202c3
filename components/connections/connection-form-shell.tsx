'use client';

import type { FormEvent, ReactNode } from 'react';
import { ErrorBanner } from '../error-banner';
import { ApiError } from '../hooks/fetch-json';
import { useCan } from '../session-context';
import { Spinner } from '../spinner';
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from '../wizard/form-fields';

/**
 * The frame both connection forms share: title, fields, the test area, and save / cancel. An API
 * error that names fields shows beside them; any other shows here.
 */
export function ConnectionFormShell({
  label,
  testId,
  editing,
  onSubmit,
  onCancel,
  saving,
  saveError,
  test,
  children,
}: {
  label: string;
  testId: string;
  editing: boolean;
  onSubmit: () => void;
  onCancel: () => void;
  saving: boolean;
  saveError: Error | null;
  test: ReactNode;
  children: ReactNode;
}) {
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit();
  }

  return (
    <form onSubmit={submit} noValidate aria-label={label} data-testid={testId} className="space-y-4 rounded-lg border border-sky-200 bg-sky-50/40 p-4">
      <h3 className="text-sm font-semibold text-slate-900">{label}</h3>
      <div className="grid gap-3 md:grid-cols-2">{children}</div>
      <div className="rounded-md border border-slate-200 bg-white p-3">{test}</div>
      {saveError && !(saveError instanceof ApiError && saveError.issues.length > 0) && <ErrorBanner title="Could not save the connection">{saveError.message}</ErrorBanner>}
      <div className="flex gap-2">
        <button type="submit" disabled={saving} className={PRIMARY_BUTTON}>
          {saving && <Spinner />}
          {editing ? 'Save changes' : 'Save connection'}
        </button>
        <button type="button" onClick={onCancel} className={SECONDARY_BUTTON}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A card's title line: the name, what follows it, and the card's buttons. */
/** Testing, editing and deleting a connection are an admin's; others see the card without them. */
export function ConnectionCardHeader({ name, children, actions }: { name: string; children?: ReactNode; actions: ReactNode }) {
  const mayAdminister = useCan('administer');
  return (
    <div className="flex flex-wrap items-start justify-between gap-3 px-4 pt-3">
      <div className="flex min-w-0 flex-wrap items-center gap-2">
        <h3 className="truncate text-base font-semibold text-slate-900">{name}</h3>
        {children}
      </div>
      {mayAdminister && <div className="flex flex-wrap gap-2">{actions}</div>}
    </div>
  );
}

export function EditButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" onClick={onClick} className={SECONDARY_BUTTON} data-testid="edit-connection">
      Edit
    </button>
  );
}
