'use client';

import Link from 'next/link';
import { ErrorBanner } from '../error-banner';
import { isNotFound } from '../hooks/fetch-json';
import { useConnector } from '../hooks/use-connectors';
import { ConnectorWizard } from './connector-wizard';
import { LoadingNote } from './form-fields';
import { draftFromDefinition } from './wizard-draft';

export function EditConnectorPage({ id }: { id: string }) {
  const connector = useConnector(id);
  const view = connector.data;

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
        {view && <p className="mt-1 text-sm text-slate-600">Saving creates revision {view.revision + 1}; the workers switch to it and keep the committed offsets.</p>}
      </div>
      {connector.isPending && <LoadingNote>Loading the connector…</LoadingNote>}
      {isNotFound(connector.error) && <ErrorBanner title="No such connector">It may have been deleted.</ErrorBanner>}
      {connector.isError && !isNotFound(connector.error) && <ErrorBanner title="Could not load the connector">{connector.error.message}</ErrorBanner>}
      {view && (
        // The revision the edit started from: a save fails rather than overwrite someone else's newer revision.
        <ConnectorWizard
          storageKey={`kastor.wizard.edit.${id}.r${view.revision}`}
          initial={() => draftFromDefinition(view.definition)}
          existing={{ id, revision: view.revision }}
        />
      )}
    </div>
  );
}
