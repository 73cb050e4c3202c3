import type { Metadata } from 'next';
import { ConnectorsTable } from '@/components/connectors-table';

export const metadata: Metadata = { title: 'Connectors' };

export default function ConnectorsOverviewPage() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Connectors</h1>
        <p className="mt-1 text-sm text-slate-600">Each connector ingests Kafka topics into one Azure Data Explorer table.</p>
      </div>
      <ConnectorsTable />
    </div>
  );
}
