import type { TKafkaConnectionTest } from '@/lib/connections/connection-definitions';

const SHOWN_TOPICS = 12;

export function KafkaTestOutcome({ test }: { test: TKafkaConnectionTest }) {
  return (
    <div data-testid="kafka-test-outcome" data-ok={test.ok} className={`mt-3 text-sm ${test.ok ? 'text-emerald-800' : 'text-red-800'}`}>
      <p>
        <span aria-hidden className="mr-1 font-semibold">{test.ok ? '✓' : '✗'}</span>
        {test.message}
      </p>
      {test.topics.length > 0 && (
        <p className="mt-1 font-mono text-xs break-words text-slate-600">
          {test.topics.slice(0, SHOWN_TOPICS).join(', ')}
          {test.topics.length > SHOWN_TOPICS && ` and ${test.topics.length - SHOWN_TOPICS} more`}
        </p>
      )}
    </div>
  );
}
