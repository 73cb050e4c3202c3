'use client';

import { useEffect, useMemo, useState } from 'react';
import { ErrorBanner } from './error-banner';
import { formatBytes, formatCount, formatRate } from './format';
import type { MetricsRange } from './hooks/connector-keys';
import { useConnectorMetrics } from './hooks/use-connector-metrics';
import { toMetricSeries } from './metric-series';
import { TimeSeriesChart, type ChartSeries } from './time-series-chart';

const RANGES: { range: MetricsRange; label: string; ms: number }[] = [
  { range: '15m', label: '15 min', ms: 15 * 60_000 },
  { range: '1h', label: '1 h', ms: 60 * 60_000 },
  { range: '24h', label: '24 h', ms: 24 * 60 * 60_000 },
];

const ZONE_KEY = 'kastor.charts.utc';

const PARTITION_COLORS = ['#0284c7', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0d9488', '#db2777', '#4f46e5', '#65a30d', '#ea580c'];

const TOTAL_LAG: ChartSeries[] = [{ label: 'Total lag', color: '#0284c7' }];
const ROWS_PER_SECOND: ChartSeries[] = [{ label: 'Rows/s', color: '#16a34a' }];
const BYTES_PER_SECOND: ChartSeries[] = [{ label: 'Bytes/s', color: '#9333ea' }];

export function ConnectorCharts({ connectorId, enabled }: { connectorId: string; enabled: boolean }) {
  const [range, setRange] = useState<MetricsRange>('15m');
  const rangeMs = RANGES.find((option) => option.range === range)!.ms;
  const [utc, setUtc] = useState(false);
  useEffect(() => setUtc(window.localStorage.getItem(ZONE_KEY) === 'true'), []);
  const chooseZone = (next: boolean) => {
    setUtc(next);
    window.localStorage.setItem(ZONE_KEY, String(next));
  };
  const metrics = useConnectorMetrics(connectorId, range, { enabled });
  const series = useMemo(() => toMetricSeries(metrics.data ?? []), [metrics.data]);
  const partitionSeries = useMemo(
    () => series.partitionLag.labels.map((label, index) => ({ label, color: PARTITION_COLORS[index % PARTITION_COLORS.length] })),
    [series.partitionLag.labels],
  );

  return (
    <section aria-labelledby="charts-heading" className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="charts-heading" className="text-base font-semibold text-slate-900">
          Lag and throughput
        </h2>
        <div className="flex flex-wrap gap-2">
          <div role="group" aria-label="Time zone" className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
            {[false, true].map((option) => (
              <button
                key={String(option)}
                type="button"
                data-testid={`zone-${option ? 'utc' : 'local'}`}
                aria-pressed={utc === option}
                onClick={() => chooseZone(option)}
                className={`rounded px-2.5 py-1 text-xs font-medium ${utc === option ? 'bg-slate-800 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
              >
                {option ? 'UTC' : 'Local'}
              </button>
            ))}
          </div>
          <div role="group" aria-label="Time range" className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
            {RANGES.map((option) => (
              <button
                key={option.range}
                type="button"
                data-testid={`range-${option.range}`}
                aria-pressed={range === option.range}
                onClick={() => setRange(option.range)}
                className={`rounded px-2.5 py-1 text-xs font-medium ${
                  range === option.range ? 'bg-slate-800 text-white' : 'text-slate-700 hover:bg-slate-100'
                }`}
              >
                {option.label}
              </button>
            ))}
          </div>
        </div>
      </div>
      {metrics.isError && <ErrorBanner title="Could not load metrics">{metrics.error.message}</ErrorBanner>}
      <div className="grid gap-3 lg:grid-cols-2">
        <TimeSeriesChart title="Total lag (records)" testId="chart-total-lag" series={TOTAL_LAG} data={series.totalLag} formatValue={formatCount} rangeMs={rangeMs} utc={utc} integer />
        <TimeSeriesChart
          title="Lag per partition"
          testId="chart-partition-lag"
          series={partitionSeries}
          data={series.partitionLag.data}
          formatValue={formatCount}
          rangeMs={rangeMs}
          utc={utc}
          integer
        />
        <TimeSeriesChart title="Rows/s written" testId="chart-rows-per-second" series={ROWS_PER_SECOND} data={series.rowsPerSecond} formatValue={formatRate} rangeMs={rangeMs} utc={utc} />
        <TimeSeriesChart
          title="Bytes/s written"
          testId="chart-bytes-per-second"
          series={BYTES_PER_SECOND}
          data={series.bytesPerSecond}
          formatValue={(value) => `${formatBytes(value)}/s`}
          rangeMs={rangeMs}
          utc={utc}
        />
      </div>
    </section>
  );
}
