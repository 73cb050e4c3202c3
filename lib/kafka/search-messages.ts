import 'server-only';
import type { Kafka } from 'kafkajs';
import { brokerError } from './broker-error';
import { partitionRanges } from './browse-messages';
import { readPartitionMessages } from './read-partition-messages';
import { MAX_SEARCH_MATCHES, type BrowsedMessage, type SearchEvent, type TSearchRequest } from './topic-browser-contracts';

/** Records read per fetch: small enough for progress every fraction of a second. */
const CHUNK = 1_000;

function matches(message: BrowsedMessage, needle: string, field: TSearchRequest['in']): boolean {
  const inKey = field !== 'value' && (message.key ?? '').toLowerCase().includes(needle);
  const inValue = field !== 'key' && (message.value ?? '').toLowerCase().includes(needle);
  return inKey || inValue;
}

/**
 * Searches the newest `maxScan` records of a topic (split evenly over the partitions searched)
 * for a substring of the key or value, case-insensitive, without a consumer group. Yields
 * progress after each fetch with the matches found in it, then a summary; stops early when
 * `signal` aborts (the browser went away) or at MAX_SEARCH_MATCHES.
 */
export async function* searchMessages(kafka: Kafka, request: TSearchRequest, signal: AbortSignal): AsyncGenerator<SearchEvent> {
  const needle = request.q.toLowerCase();
  const admin = kafka.admin();
  let ranges;
  try {
    await admin.connect();
    ranges = await partitionRanges(admin, request.topic, request.partition);
  } catch (error) {
    yield { type: 'error', message: brokerError(error, `Searching topic "${request.topic}"`).message };
    return;
  } finally {
    await admin.disconnect();
  }
  const share = Math.ceil(request.maxScan / Math.max(1, ranges.length));
  const windows = ranges.map((range) => ({ partition: range.partition, from: Math.max(range.low, range.high - share), to: range.high }));
  const total = windows.reduce((sum, window) => sum + (window.to - window.from), 0);
  let scanned = 0;
  let found = 0;
  // Newest chunks first, partitions interleaved, so early matches are the recent ones.
  const cursors = windows.map((window) => ({ ...window, end: window.to }));
  while (!signal.aborted && found < MAX_SEARCH_MATCHES && cursors.some((cursor) => cursor.end > cursor.from)) {
    for (const cursor of cursors) {
      if (cursor.end <= cursor.from || signal.aborted || found >= MAX_SEARCH_MATCHES) continue;
      const start = Math.max(cursor.from, cursor.end - CHUNK);
      const end = cursor.end;
      let records: BrowsedMessage[];
      try {
        records = (await readPartitionMessages(kafka, { topic: request.topic, partition: cursor.partition, fromOffset: start, maxMessages: end - start })).map((message) => ({
          ...message,
          topic: request.topic,
        }));
      } catch (error) {
        yield { type: 'error', message: brokerError(error, `Searching topic "${request.topic}"`).message };
        return;
      }
      scanned += end - start;
      cursor.end = start;
      const hits = records
        .filter((message) => message.offset < end && matches(message, needle, request.in))
        .sort((a, b) => b.offset - a.offset)
        .slice(0, MAX_SEARCH_MATCHES - found);
      found += hits.length;
      yield { type: 'progress', scanned, total, matches: hits };
    }
  }
  yield { type: 'done', scanned, total, matchCount: found, truncated: found >= MAX_SEARCH_MATCHES };
}
