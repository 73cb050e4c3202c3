'use client';

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  color: string;
}

const CHART_HEIGHT = 180;

/** Whole numbers only: a count axis never reads "0.5 records" or "1, 1, 1, 0, 0". */
const INTEGER_INCREMENTS = Array.from({ length: 10 }, (_, power) => [1, 2, 5].map((step) => step * 10 ** power)).flat();
/** Room a time label ("12:20", "Nov 25") needs with space around it, in CSS pixels. */
const TIME_TICK_SPACE = 72;

const pad = (value: number) => String(value).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * One label per tick: "HH:MM" (with seconds when ticks are under a minute apart), and the date
 * instead at midnight, so a 24 h axis says where the day changes. UTC or the browser's zone.
 */
export function formatTimeTick(seconds: number, stepSeconds: number, utc: boolean): string {
  const date = new Date(seconds * 1000);
  const [hours, minutes, secs, day, month] = utc
    ? [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCDate(), date.getUTCMonth()]
    : [date.getHours(), date.getMinutes(), date.getSeconds(), date.getDate(), date.getMonth()];
  if (hours === 0 && minutes === 0 && secs === 0 && stepSeconds >= 3600) return `${MONTHS[month]} ${day}`;
  return stepSeconds < 60 ? `${pad(hours)}:${pad(minutes)}:${pad(secs)}` : `${pad(hours)}:${pad(minutes)}`;
}

declare global {
  interface HTMLElement {
    /** The chart's uPlot instance, for tests and devtools. */
    uplot?: uPlot;
  }
}

/**
 * A live uPlot line chart. The plot is built once per set of series and then only given new data,
 * so a 2 s poll moves the lines without a redraw flash. `data-points`, `data-last-at` and
 * `data-last-value` (first line) say what the plot holds, for tests and for anyone in devtools.
 */
export function TimeSeriesChart({
  title,
  testId,
  series,
  data,
  formatValue,
  rangeMs,
  utc,
  integer = false,
}: {
  title: string;
  testId: string;
  series: ChartSeries[];
  data: uPlot.AlignedData;
  formatValue: (value: number) => string;
  /** The x axis always spans this much, up to now, whether or not there are samples. */
  rangeMs: number;
  utc: boolean;
  integer?: boolean;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  dataRef.current = data;
  const formatRef = useRef(formatValue);
  formatRef.current = formatValue;
  const rangeRef = useRef(rangeMs);
  rangeRef.current = rangeMs;
  const seriesKey = `${series.map((line) => `${line.label}:${line.color}`).join('|')}|${utc ? 'utc' : 'local'}|${integer}`;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const plot = new uPlot(
      {
        width: container.clientWidth,
        height: CHART_HEIGHT,
        legend: { show: series.length > 1, live: false },
        cursor: { drag: { x: false, y: false } },
        // Splits fall on whole hours and days of the zone the labels are in.
        tzDate: (seconds) => (utc ? uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC') : new Date(seconds * 1000)),
        scales: {
          x: {
            time: true,
            auto: false,
            range: () => {
              const now = Date.now() / 1000;
              return [now - rangeRef.current / 1000, now];
            },
          },
          y: { range: (_plot, _min, max) => [0, max > 0 ? (integer ? Math.max(1, Math.ceil(max * 1.1)) : max * 1.1) : 1] },
        },
        axes: [
          {
            stroke: '#64748b',
            grid: { stroke: '#f1f5f9' },
            ticks: { stroke: '#e2e8f0' },
            space: TIME_TICK_SPACE,
            values: (_plot, ticks, _axis, _space, step) => ticks.map((tick) => formatTimeTick(tick, step, utc)),
          },
          {
            stroke: '#64748b',
            size: 76,
            grid: { stroke: '#f1f5f9' },
            ticks: { stroke: '#e2e8f0' },
            ...(integer && { incrs: INTEGER_INCREMENTS }),
            values: (_plot, ticks) => ticks.map((tick) => formatRef.current(tick)),
          },
        ],
        series: [
          {},
          ...series.map((line) => ({
            label: line.label,
            stroke: line.color,
            width: 1.5,
            fill: series.length === 1 ? `${line.color}1a` : undefined,
            points: { show: false },
          })),
        ],
      },
      dataRef.current,
      container,
    );
    plotRef.current = plot;
    container.uplot = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: container.clientWidth, height: CHART_HEIGHT }));
    resize.observe(container);
    return () => {
      resize.disconnect();
      plot.destroy();
      plotRef.current = null;
      delete container.uplot;
    };
    // Rebuilt only when the set of lines changes; new data goes through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [seriesKey]);

  // New data or a new range: the x scale is recomputed up to now either way.
  useEffect(() => {
    plotRef.current?.setData(data);
  }, [data, rangeMs]);

  const xs = data[0];
  const lastAt = xs.length > 0 ? new Date(xs[xs.length - 1] * 1000).toISOString() : undefined;
  const lastValue = data[1]?.[xs.length - 1] ?? undefined;
  return (
    <figure className="min-w-0 rounded-lg border border-slate-200 bg-white px-3 pt-3 pb-1 shadow-sm">
      <figcaption className="px-1 text-sm font-semibold text-slate-800">{title}</figcaption>
      <div className="relative mt-2">
        <div ref={containerRef} data-testid={testId} data-points={xs.length} data-last-at={lastAt} data-last-value={lastValue} className="w-full" />
        {xs.length === 0 && (
          <p className="absolute inset-0 grid place-items-center text-xs text-slate-500">No samples in this range yet</p>
        )}
      </div>
    </figure>
  );
}
