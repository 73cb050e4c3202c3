import { formatDuration } from '../format';

/** retention.ms in words: -1 is "forever". */
export function formatRetention(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 0) return 'forever';
  return formatDuration(ms / 1000);
}
