import type uPlot from 'uplot';
import type { MetricPoint } from '@/lib/connectors/connector-views';

export interface MetricSeries {
  totalLag: uPlot.AlignedData;
  partitionLag: { labels: string[]; data: uPlot.AlignedData };
  rowsPerSecond: uPlot.AlignedData;
  bytesPerSecond: uPlot.AlignedData;
}

/** Columns for uPlot: unix seconds on x, one array per line; a partition missing from a sample is a gap. */
export function toMetricSeries(points: MetricPoint[]): MetricSeries {
  const xs = points.map((point) => Date.parse(point.at) / 1000);
  const labels = [...new Set(points.flatMap((point) => Object.keys(point.partitionLag)))].sort(comparePartitionLabels);
  return {
    totalLag: [xs, points.map((point) => point.totalLag)],
    partitionLag: {
      labels,
      data: [xs, ...labels.map((label) => points.map((point) => point.partitionLag[label] ?? null))],
    },
    rowsPerSecond: [xs, points.map((point) => point.rowsPerSecond)],
    bytesPerSecond: [xs, points.map((point) => point.bytesPerSecond)],
  };
}

/** "topic/10" after "topic/9". */
function comparePartitionLabels(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
