import Link from 'next/link';
import type { ConnectorReference } from '@/lib/connections/connection-definitions';

/** The connectors that keep a connection from being deleted, each a link to its page. */
export function UsedBy({ connectors }: { connectors: ConnectorReference[] }) {
  if (connectors.length === 0) return <span className="text-slate-500">No connector</span>;
  return (
    <span data-testid="used-by">
      {connectors.map((connector, index) => (
        <span key={connector.id}>
          {index > 0 && ', '}
          <Link href={`/connectors/${connector.id}`} className="font-medium text-sky-700 hover:text-sky-900 hover:underline">
            {connector.name}
          </Link>
        </span>
      ))}
    </span>
  );
}

export function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-0.5 text-sm break-words text-slate-800">{children}</dd>
    </div>
  );
}
