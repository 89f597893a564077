// Charts: a uPlot line chart for figures over time, and labelled horizontal bars for figures by group
// (readable on a phone, and printable).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'preact/hooks';
import { fmtNumber } from '../i18n.ts';

export interface Series {
  label: string;
  values: (number | null)[];
  colour: string;
}

/** Lines over numbered steps (e.g. plan after plan); `xLabel` names each step on the axis. */
export function LineChart({ xs, xLabel, series, height = 240, percent = false }: { xs: number[]; xLabel: (x: number) => string; series: Series[]; height?: number; percent?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current!;
    const fmtY = (v: number) => (percent ? `${fmtNumber(v * 100)}%` : fmtNumber(v, 1));
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const chart = new uPlot(
      {
        width: el.clientWidth || 600,
        height,
        scales: {
          x: { time: false, range: () => (lo === hi ? [lo - 1, hi + 1] : [lo, hi]) },
          y: percent ? { range: [0, 1] } : {},
        },
        axes: [
          { values: (_u, ticks) => ticks.map((x) => (Number.isInteger(x) && xs.includes(x) ? xLabel(x) : '')) },
          { values: (_u, ticks) => ticks.map(fmtY) },
        ],
        series: [
          { value: (_u, x) => (x == null ? '' : xLabel(x)) },
          ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, points: { size: 7 }, value: (_u: uPlot, v: number | null) => (v == null ? '—' : fmtY(v)) })),
        ],
      },
      [xs, ...series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [JSON.stringify(xs), JSON.stringify(series), height]);
  return <div ref={ref} class="line-chart" />;
}

export interface Bar {
  label: string;
  value: number;
  /** Text shown at the end of the bar (the value formatted). */
  text: string;
  colour?: string;
  warn?: boolean;
}

/** Horizontal bars scaled to `max` (or the largest value). */
export function BarChart({ bars, max, label }: { bars: Bar[]; max?: number; label: string }) {
  const top = max ?? Math.max(1e-9, ...bars.map((b) => b.value));
  return (
    <figure class="bar-chart" aria-label={label}>
      {bars.map((b) => (
        <div class={`bar-row ${b.warn ? 'warn' : ''}`} key={b.label}>
          <span class="bar-label">{b.label}</span>
          <span class="bar-track">
            <span class="bar-fill" style={{ width: `${Math.max(0, Math.min(100, (b.value / top) * 100))}%`, background: b.colour }} />
          </span>
          <span class="bar-value">{b.text}</span>
        </div>
      ))}
    </figure>
  );
}
