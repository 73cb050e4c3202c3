const WIDTH = 80;
const HEIGHT = 20;

/** Total lag over the last samples, scaled to its own maximum: the shape matters here, not the value. */
export function LagSparkline({ values }: { values: number[] }) {
  if (values.length < 2) return <span aria-hidden className="inline-block w-20" />;
  const max = Math.max(...values, 1);
  const step = WIDTH / (values.length - 1);
  const points = values.map((value, index) => `${(index * step).toFixed(1)},${(HEIGHT - 1 - (value / max) * (HEIGHT - 2)).toFixed(1)}`).join(' ');
  return (
    <svg
      data-testid="lag-sparkline"
      data-points={values.length}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`Lag over the last ${values.length} samples, up to ${max}`}
      className="inline-block align-middle"
    >
      <polyline points={points} fill="none" stroke="#0284c7" strokeWidth={1.25} strokeLinejoin="round" />
    </svg>
  );
}
