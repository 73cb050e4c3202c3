import { describe, expect, it } from 'vitest';
import { evaluateHealth, type OffsetObservation } from '../../lib/health/evaluate-health';
import { assessLagTrend } from '../../lib/health/lag-trend';

const T0 = Date.parse('2026-11-25T12:00:00Z');

/** One observation every 2 s from T0, as the metrics reporter takes them. */
function window(points: [committedOffset: number | null, lag: number][]): OffsetObservation[] {
  return points.map(([committedOffset, lag], index) => ({ at: T0 + index * 2_000, committedOffset, lag }));
}

const endOf = (observations: OffsetObservation[]) => observations[observations.length - 1].at;

describe('evaluateHealth (Burrow rules over a window of committed offsets)', () => {
  it('is OK when the partition is caught up now', () => {
    const observations = window([[10, 5], [12, 3], [15, 0]]);
    expect(evaluateHealth({ now: endOf(observations), actualState: 'RUNNING', lastError: null, partitions: { 't/0': observations } })).toEqual({
      status: 'OK',
      reason: 'caught up',
    });
  });

  it('is OK while offsets advance and lag falls', () => {
    const observations = window([[0, 100], [40, 80], [90, 50], [130, 20]]);
    const health = evaluateHealth({ now: endOf(observations), actualState: 'RUNNING', lastError: null, partitions: { 't/0': observations } });
    expect(health.status).toBe('OK');
  });

  it('is OK when lag was zero somewhere in the window, even if behind now', () => {
    const observations = window([[10, 0], [10, 4], [12, 6], [14, 8]]);
    expect(evaluateHealth({ now: endOf(observations), actualState: 'RUNNING', lastError: null, partitions: { 't/0': observations } }).status).toBe('OK');
  });

  it('WARNs when offsets advance but lag never decreases, saying so', () => {
    const observations = window([[0, 10], [5, 20], [9, 35], [14, 50]]);
    const health = evaluateHealth({ now: endOf(observations), actualState: 'RUNNING', lastError: null, partitions: { 't/0': observations, 't/1': window([[3, 0], [3, 0], [3, 0], [3, 0]]) } });
    expect(health.status).toBe('WARN');
    expect(health.reason).toBe('t/0 lag growing: 10 → 50 over 6 s although offsets advance');
  });

  it('STALLs when the consumer runs but the committed offset does not move while behind', () => {
    const observations = window([[42, 7], [42, 9], [42, 9], [42, 12]]);
    const health = evaluateHealth({ now: endOf(observations), actualState: 'RUNNING', lastError: null, partitions: { 't/3': observations } });
    expect(health.status).toBe('STALL');
    expect(health.reason).toBe('t/3 committed offset stuck at 42 for 6 s while running, 12 records behind');
  });

  it('STOPs when nothing commits while behind and nobody asked it to stop, naming why', () => {
    const observations = window([[4, 0], [4, 0], [4, 100], [4, 100]]).slice(2);
    const health = evaluateHealth({ now: endOf(observations) + 1_000, actualState: 'PENDING', lastError: null, partitions: { 't/0': observations } });
    expect(health).toEqual({ status: 'STOP', reason: 't/0 not committing for 3 s while 100 records behind' });
  });

  it('says a paused or stopped connector is so, by whom and since when, with the lag waiting — not a stall', () => {
    const observations = window([[4, 0], [4, 300], [4, 300], [4, 300]]);
    const stateChange = { action: 'pause', actor: 'ada@contoso.com', at: Date.parse('2026-11-25T11:59:30Z') };
    expect(evaluateHealth({ now: endOf(observations) + 60_000, desiredState: 'PAUSED', stateChange, actualState: 'PAUSED', lastError: null, partitions: { 't/0': observations } })).toEqual({
      status: 'PAUSED',
      reason: 'paused by ada@contoso.com at 2026-11-25 11:59 UTC; lag 300 waiting',
    });
    expect(evaluateHealth({ now: endOf(observations), desiredState: 'STOPPED', actualState: 'STOPPED', lastError: null, partitions: { 't/0': window([[4, 0]]) } })).toEqual({
      status: 'PAUSED',
      reason: 'stopped; nothing waiting',
    });
    // Until the workers let go it is still consuming, and judged as running.
    expect(evaluateHealth({ now: endOf(observations), desiredState: 'PAUSED', actualState: 'RUNNING', lastError: null, partitions: { 't/0': window([[4, 0]]) } }).status).toBe('OK');
  });

  it('STOPs when commits stopped for longer than they had been advancing (Burrow rule 2)', () => {
    const observations = window([[0, 50], [10, 45], [10, 60], [10, 70], [10, 80]]);
    const health = evaluateHealth({ now: endOf(observations), actualState: 'STARTING', lastError: null, partitions: { 't/0': observations } });
    expect(health.status).toBe('STOP');
    expect(health.reason).toMatch(/not committing for 6 s while 80 records behind/);
  });

  it('is ERROR with the failure as the reason when the pipeline failed, whatever the offsets', () => {
    const observations = window([[0, 0], [0, 0]]);
    expect(evaluateHealth({ now: endOf(observations), actualState: 'FAILED', lastError: 'Record t/0@1 could not be decoded', partitions: { 't/0': observations } })).toEqual({
      status: 'ERROR',
      reason: 'Record t/0@1 could not be decoded',
    });
  });

  it('takes the worst partition and counts the others in the same state', () => {
    const stuck = window([[1, 5], [1, 6], [1, 7]]);
    const health = evaluateHealth({ now: endOf(stuck), actualState: 'STARTING', lastError: null, partitions: { 't/0': window([[9, 0], [9, 0], [9, 0]]), 't/1': stuck, 't/2': stuck } });
    expect(health.status).toBe('STOP');
    expect(health.reason).toMatch(/^t\/1 .* \(and 1 more partition\)$/);
  });

  it('only looks at the last 10 observations', () => {
    const old = window(Array.from({ length: 20 }, (_, index): [number, number] => (index < 10 ? [0, 0] : [0, index])));
    expect(evaluateHealth({ now: endOf(old), actualState: 'STARTING', lastError: null, partitions: { 't/0': old } }).status).toBe('STOP');
    expect(evaluateHealth({ now: endOf(old), actualState: 'STARTING', lastError: null, partitions: { 't/0': old.slice(0, 11) } }).status).toBe('OK');
  });
});

describe('assessLagTrend (one rule for the health API, the lag card and the overview)', () => {
  const every2s = (lags: number[]) => lags.map((lag, index) => ({ at: T0 + index * 2_000, lag }));

  it('drains with an ETA from the slope over the window', () => {
    const trend = assessLagTrend(every2s([300, 280, 260, 240, 220, 200]), true);
    expect(trend.direction).toBe('draining');
    expect(trend.ratePerSecond).toBeCloseTo(-10);
    expect(trend.etaSeconds).toBeCloseTo(20);
  });

  it('is flat when lag did not move, even with one sample taken mid-commit', () => {
    expect(assessLagTrend(every2s([300, 300, 300, 300, 300, 300]), true)).toEqual({ direction: 'flat', ratePerSecond: 0, etaSeconds: null });
    expect(assessLagTrend(every2s([300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 301, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300]), true).direction).toBe('flat');
  });

  it('is flat when lag only scatters with each batch (a live stream keeping up), and still drains or grows through scatter', () => {
    // The demo at ~20 events/s: lag between 0 and 15 as batches close, drifting by ~2 over the minute.
    const keepingUp = [9, 2, 14, 6, 11, 3, 15, 7, 1, 12, 5, 10, 2, 13, 8, 4, 11, 0, 9, 6, 12, 3, 8, 1, 10, 5, 7, 2, 9, 6];
    expect(assessLagTrend(every2s(keepingUp), true)).toEqual({ direction: 'flat', ratePerSecond: 0, etaSeconds: null });
    const draining = Array.from({ length: 30 }, (_, index) => 600 - index * 20 + (index % 2 === 0 ? 15 : -15));
    expect(assessLagTrend(every2s(draining), true).direction).toBe('draining');
    const growing = Array.from({ length: 30 }, (_, index) => 100 + index * 5 + (index % 3 === 0 ? 12 : -6));
    expect(assessLagTrend(every2s(growing), true).direction).toBe('growing');
  });

  it('never drains while the connector does not consume (paused, stopped, failed)', () => {
    expect(assessLagTrend(every2s([300, 280, 260, 240]), false)).toEqual({ direction: 'flat', ratePerSecond: 0, etaSeconds: null });
    expect(assessLagTrend(every2s([200, 220, 240, 260]), false).direction).toBe('growing');
  });

  it('is caught up at zero lag and unknown with too few samples', () => {
    expect(assessLagTrend(every2s([3, 0]), true)).toEqual({ direction: 'caught-up', ratePerSecond: 0, etaSeconds: 0 });
    expect(assessLagTrend(every2s([9, 8]), true).direction).toBe('unknown');
    expect(assessLagTrend([], true).direction).toBe('unknown');
  });
});
