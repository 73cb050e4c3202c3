import type { ConnectorDetailView } from '@/lib/connectors/connector-views';
import { CopyButton } from './copy-button';

export function ConnectorDefinitionPanel({ connector }: { connector: ConnectorDetailView }) {
  const json = JSON.stringify(connector.definition, null, 2);
  return (
    <section aria-label="Definition" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <details data-testid="connector-definition" className="group">
        <summary className="flex cursor-pointer list-none items-center gap-2 px-4 py-3 text-base font-semibold text-slate-900 select-none [&::-webkit-details-marker]:hidden">
          <span aria-hidden className="inline-block text-slate-400 transition-transform group-open:rotate-90">
            ▸
          </span>
          Definition
          <span className="text-sm font-normal text-slate-500">revision {connector.revision}</span>
        </summary>
        <div className="border-t border-slate-200 px-4 py-3">
          <div className="flex justify-end">
            <CopyButton text={json} label="Copy JSON" />
          </div>
          <pre className="mt-2 max-h-[28rem] overflow-auto rounded bg-slate-50 p-3 font-mono text-xs text-slate-800">{json}</pre>
        </div>
      </details>
    </section>
  );
}
