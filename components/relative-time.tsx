'use client';

import { useEffect, useState } from 'react';
import { formatAgo, formatTimestamp } from './format';

/** "12 s ago", kept current every second; the exact time is in the tooltip. */
export function RelativeTime({ at, className }: { at: string | number; className?: string }) {
  const now = useNow();
  const iso = new Date(at).toISOString();
  return (
    <time dateTime={iso} title={formatTimestamp(iso)} className={className}>
      {formatAgo(at, now)}
    </time>
  );
}

export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
