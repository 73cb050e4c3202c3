'use client';

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  color: string;
}

const CHART_HEIGHT = 180;

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
}: {
  title: string;
  testId: string;
  series: ChartSeries[];
  data: uPlot.AlignedData;
  formatValue: (value: number) => string;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  dataRef.current = data;
  const formatRef = useRef(formatValue);
  formatRef.current = formatValue;
  const seriesKey = series.map((line) => `${line.label}:${line.color}`).join('|');

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const plot = new uPlot(
      {
        width: container.clientWidth,
        height: CHART_HEIGHT,
        legend: { show: series.length > 1, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_plot, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [
          { stroke: '#64748b', grid: { stroke: '#f1f5f9' }, ticks: { stroke: '#e2e8f0' } },
          {
            stroke: '#64748b',
            size: 76,
            grid: { stroke: '#f1f5f9' },
            ticks: { stroke: '#e2e8f0' },
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
    const resize = new ResizeObserver(() => plot.setSize({ width: container.clientWidth, height: CHART_HEIGHT }));
    resize.observe(container);
    return () => {
      resize.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
    // Rebuilt only when the set of lines changes; new data goes through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [seriesKey]);

  useEffect(() => {
    plotRef.current?.setData(data);
  }, [data]);

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
