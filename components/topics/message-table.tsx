'use client';

import { Fragment, useState } from 'react';
import { describeValue, type BrowsedMessage } from '@/lib/kafka/topic-browser-contracts';
import { CopyButton } from '../copy-button';
import { formatCount } from '../format';

const FORMAT_LABEL = { json: 'JSON', text: 'text', avro: 'Avro (schema registry)', binary: 'binary, base64', empty: 'empty' } as const;

function oneLine(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Messages as rows (partition, offset, time, key, value, headers); a click opens the full record. */
export function MessageTable({ messages, emptyText, highlight }: { messages: BrowsedMessage[]; emptyText: string; highlight?: string }) {
  const [open, setOpen] = useState<string | null>(null);
  if (messages.length === 0) return <p className="rounded-md border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">{emptyText}</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full table-fixed text-left text-sm" aria-label="Messages">
        <thead className="bg-slate-50 text-xs text-slate-500">
          <tr>
            <th className="w-20 px-3 py-2 font-medium">Partition</th>
            <th className="w-28 px-3 py-2 font-medium">Offset</th>
            <th className="w-52 px-3 py-2 font-medium">Timestamp (UTC)</th>
            <th className="w-32 px-3 py-2 font-medium">Key</th>
            <th className="px-3 py-2 font-medium">Value</th>
            <th className="w-20 px-3 py-2 font-medium">Headers</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {messages.map((message) => {
            const id = `${message.partition}/${message.offset}`;
            const value = describeValue(message.value, message.valueBase64);
            const headerCount = Object.keys(message.headers).length;
            const expanded = open === id;
            return (
              <Fragment key={id}>
                <tr
                  data-testid={`message-${message.partition}-${message.offset}`}
                  aria-expanded={expanded}
                  tabIndex={0}
                  onClick={() => setOpen(expanded ? null : id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      setOpen(expanded ? null : id);
                    }
                  }}
                  className={`cursor-pointer align-top hover:bg-sky-50 ${expanded ? 'bg-sky-50' : ''}`}
                >
                  <td className="px-3 py-1.5 font-mono text-xs">{message.partition}</td>
                  <td className="px-3 py-1.5 font-mono text-xs">{formatCount(message.offset)}</td>
                  <td className="px-3 py-1.5 font-mono text-xs text-slate-600">{message.timestamp.replace('T', ' ').replace('Z', '')}</td>
                  <td className="truncate px-3 py-1.5 font-mono text-xs" title={message.key ?? ''}>
                    {message.key ?? <span className="text-slate-400">null</span>}
                  </td>
                  <td className="truncate px-3 py-1.5 font-mono text-xs text-slate-800">
                    {value.format !== 'json' && value.format !== 'text' && <span className="mr-1.5 rounded bg-amber-100 px-1 text-amber-900">{FORMAT_LABEL[value.format]}</span>}
                    <Highlighted text={oneLine(value.format === 'json' ? (message.value ?? '') : value.display)} needle={highlight} />
                  </td>
                  <td className="px-3 py-1.5 text-xs text-slate-600">{headerCount || '—'}</td>
                </tr>
                {expanded && (
                  <tr data-testid="message-detail">
                    <td colSpan={6} className="bg-slate-50 px-3 py-3">
                      <MessageDetail message={message} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Highlighted({ text, needle }: { text: string; needle?: string }) {
  if (!needle) return <>{text}</>;
  const at = text.toLowerCase().indexOf(needle.toLowerCase());
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark className="rounded bg-yellow-200 px-0.5">{text.slice(at, at + needle.length)}</mark>
      {text.slice(at + needle.length)}
    </>
  );
}

function MessageDetail({ message }: { message: BrowsedMessage }) {
  const value = describeValue(message.value, message.valueBase64);
  const headers = Object.entries(message.headers);
  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <section aria-label="Value">
        <div className="flex items-center justify-between gap-2">
          <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
            Value · {FORMAT_LABEL[value.format]}
            {value.schemaId !== undefined && ` · schema id ${value.schemaId}`}
          </h4>
          <CopyButton text={value.display} label="Copy value" />
        </div>
        {value.format === 'avro' && (
          <p className="mt-1 text-xs text-amber-800">Confluent wire format: decoding needs the schema registry, which this connection does not have yet. Raw bytes as base64:</p>
        )}
        <pre className="mt-1 max-h-96 overflow-auto rounded-md border border-slate-200 bg-white p-2 font-mono text-xs whitespace-pre-wrap text-slate-900">{value.display}</pre>
      </section>
      <section aria-label="Record">
        <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Record</h4>
        <dl className="mt-1 space-y-1 text-xs">
          <div className="flex gap-2">
            <dt className="w-20 text-slate-500">Key</dt>
            <dd className="min-w-0 font-mono break-all">{message.key ?? 'null'}</dd>
          </div>
          <div className="flex gap-2">
            <dt className="w-20 text-slate-500">Partition</dt>
            <dd className="font-mono">{message.partition}</dd>
          </div>
          <div className="flex gap-2">
            <dt className="w-20 text-slate-500">Offset</dt>
            <dd className="font-mono">{message.offset}</dd>
          </div>
          <div className="flex gap-2">
            <dt className="w-20 text-slate-500">Timestamp</dt>
            <dd className="font-mono">{message.timestamp}</dd>
          </div>
        </dl>
        <h4 className="mt-3 text-xs font-semibold tracking-wide text-slate-500 uppercase">Headers</h4>
        {headers.length === 0 ? (
          <p className="mt-1 text-xs text-slate-500">None</p>
        ) : (
          <table className="mt-1 w-full text-xs" aria-label="Headers">
            <tbody>
              {headers.map(([name, headerValue]) => (
                <tr key={name} className="align-top">
                  <th scope="row" className="py-0.5 pr-2 text-left font-mono font-medium text-slate-700">
                    {name}
                  </th>
                  <td className="py-0.5 font-mono break-all text-slate-900">{headerValue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
