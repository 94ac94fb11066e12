/**
 * A line chart in plain SVG (a few hundred bytes instead of a chart library's 20+ kB). Points
 * with no value leave a gap. The numbers are also given as a table for screen readers.
 */
export interface Series {
  label: string;
  values: (number | undefined)[];
  className: string;
}

const W = 600;
const H = 140;
const PAD = 24;

function path(values: (number | undefined)[], max: number): string {
  const step = values.length > 1 ? (W - 2 * PAD) / (values.length - 1) : 0;
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === undefined) {
      pen = false;
      return;
    }
    const x = PAD + i * step;
    const y = H - PAD - (max > 0 ? (v / max) * (H - 2 * PAD) : 0);
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)} `;
    pen = true;
  });
  return d.trim();
}

export function LineChart({ title, series, times, format }: { title: string; series: Series[]; times: number[]; format?: (v: number) => string }) {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined));
  const max = Math.max(1, ...all);
  const fmt = format ?? ((v: number) => String(Math.round(v * 100) / 100));
  const last = (s: Series) => [...s.values].reverse().find((v) => v !== undefined);
  return (
    <figure class="chart">
      <figcaption>
        {title}
        {series.map((s) => (
          <span key={s.label} class={`legend ${s.className}`}>
            {s.label}: {last(s) === undefined ? '—' : fmt(last(s)!)}
          </span>
        ))}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}; max ${fmt(max)}`}>
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} class="axis" />
        <text x={2} y={PAD} class="tick">
          {fmt(max)}
        </text>
        <text x={2} y={H - PAD} class="tick">
          0
        </text>
        {series.map((s) => (
          <path key={s.label} d={path(s.values, max)} class={`line ${s.className}`} />
        ))}
      </svg>
      <details class="chart-data">
        <summary>{title} (table)</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">time</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {times.map((t, i) =>
              series.some((s) => s.values[i] !== undefined && s.values[i] !== 0) ? (
                <tr key={t}>
                  <td>{new Date(t).toLocaleTimeString()}</td>
                  {series.map((s) => (
                    <td key={s.label}>{s.values[i] === undefined ? '—' : fmt(s.values[i]!)}</td>
                  ))}
                </tr>
              ) : null,
            )}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
