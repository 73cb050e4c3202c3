import type { Metadata } from 'next';
import { WorkersTable } from '@/components/workers-table';

export const metadata: Metadata = { title: 'Workers' };

export default function WorkersPage() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Workers</h1>
        <p className="mt-1 text-sm text-slate-600">
          Worker processes and the partitions each holds. Kafka&apos;s consumer group assigns them; run more workers to spread the load.
        </p>
      </div>
      <WorkersTable />
    </div>
  );
}
