'use client';

import Link from 'next/link';
import { ConnectorWizard } from './connector-wizard';

export function NewConnectorPage() {
  return (
    <div className="space-y-5">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
          <Link href="/" className="hover:text-slate-800 hover:underline">
            Connectors
          </Link>{' '}
          / New
        </nav>
        <h1 className="mt-1 text-xl font-semibold text-slate-900">New connector</h1>
        <p className="mt-1 text-sm text-slate-600">From a live Kafka topic to rows in an Azure Data Explorer table, checked at every step.</p>
      </div>
      <ConnectorWizard storageKey="kastor.wizard.new" />
    </div>
  );
}
