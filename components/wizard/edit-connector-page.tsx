'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { ConnectorDetailView } from '@/lib/connectors/connector-views';
import { ErrorBanner } from '../error-banner';
import { isNotFound } from '../hooks/fetch-json';
import { useConnector } from '../hooks/use-connectors';
import { ConnectorWizard } from './connector-wizard';
import { LoadingNote } from './form-fields';
import { draftFromDefinition } from './wizard-draft';

export function EditConnectorPage({ id }: { id: string }) {
  const connector = useConnector(id);
  const view = connector.data;
  // The revision the edit was opened at stays put while the page polls: a revision saved meanwhile
  // (by this edit, or by someone else) must not swap the draft under the user; the save's
  // compare-and-set refuses to overwrite someone else's.
  const [opened, setOpened] = useState<ConnectorDetailView | null>(null);
  if (view && opened === null) setOpened(view);

  return (
    <div className="space-y-5">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
          <Link href="/" className="hover:text-slate-800 hover:underline">
            Connectors
          </Link>{' '}
          /{' '}
          <Link href={`/connectors/${encodeURIComponent(id)}`} className="hover:text-slate-800 hover:underline">
            {view?.name ?? 'Connector'}
          </Link>{' '}
          / Edit
        </nav>
        <h1 className="mt-1 text-xl font-semibold text-slate-900">Edit {view?.name ?? 'connector'}</h1>
        {opened && <p className="mt-1 text-sm text-slate-600">Saving creates revision {opened.revision + 1}; the workers switch to it and keep the committed offsets.</p>}
      </div>
      {connector.isPending && <LoadingNote>Loading the connector…</LoadingNote>}
      {isNotFound(connector.error) && <ErrorBanner title="No such connector">It may have been deleted.</ErrorBanner>}
      {connector.isError && !isNotFound(connector.error) && <ErrorBanner title="Could not load the connector">{connector.error.message}</ErrorBanner>}
      {opened && (
        <ConnectorWizard
          storageKey={`kastor.wizard.edit.${id}.r${opened.revision}`}
          initial={() => draftFromDefinition(opened.definition)}
          existing={{ id, revision: opened.revision }}
        />
      )}
    </div>
  );
}
