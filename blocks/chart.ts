// Charts as SVG text, built from the numbers alone: no I/O, no clock. The SVG is rasterised elsewhere
// (src/charts), with the font that file names; here only shapes, labels and the alt text that says the figures.
import type { Currency } from '../src/currency';
import type { AnomalyMetric, DigestChart } from '../src/model';
import { count, day, money, percent, ratio } from './format';
import { head, LIMITS } from './limits';

/** The family every label asks for; the renderer loads this font from a file, so text looks the same everywhere. */
export const CHART_FONT = 'Inter';
export const CHART_SIZE = { width: 800, height: 400 } as const;

/** One local day of the trend: `current` in the digest's window, `previous` in the one before, else `earlier`. */
export interface TrendDay {
  start: Date;
  spend: number;
  results: number | null;
  roas: number | null;
  part: 'current' | 'previous' | 'earlier';
}

export interface TrendChart {
  metric: Exclude<DigestChart, 'off'>;
  days: readonly TrendDay[];
  currency: Currency | null;
  timeZone: string;
}

/** An alert's metric hour by hour, with the usual band at each hour or the rule's limit drawn in. */
export interface HourlyChart {
  title: string;
  metric: AnomalyMetric | 'roas';
  currency: Currency | null;
  timeZone: string;
  points: readonly { at: Date; value: number | null; low?: number | null; high?: number | null }[];
  limit?: number;
  /** What the band is, in words: `usual range (lowest–highest of 4 past Tuesdays)`. */
  bandLabel?: string;
}

const COLORS = {
  current: '#1d4ed8',
  previous: '#93c5fd',
  earlier: '#cbd5e1',
  line: '#ea580c',
  band: '#bbf7d0',
  limit: '#dc2626',
  grid: '#e2e8f0',
  text: '#0f172a',
  muted: '#64748b',
};
const PLOT = { left: 80, right: 70, top: 64, bottom: 56 };

/** Escapes what XML treats as markup in text and attribute values. */
const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v: number) => (Math.round(v * 10) / 10).toString();

/** A round step so that about `ticks` gridlines cover [0, max]. */
function niceMax(max: number, ticks: number): { top: number; step: number } {
  if (!(max > 0) || !Number.isFinite(max)) return { top: 1, step: 1 / ticks };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return { top: step * Math.ceil(max / step), step };
}

const text = (x: number, y: number, body: string, attrs = '', fill: string = COLORS.muted) =>
  `<text x="${n(x)}" y="${n(y)}" font-family="${CHART_FONT}" font-size="12" fill="${fill}" ${attrs}>${xml(body)}</text>`;

function frame(title: string, subtitle: string, body: string[]): string {
  const { width, height } = CHART_SIZE;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="26" font-family="${CHART_FONT}" font-size="16" font-weight="bold" fill="${COLORS.text}">${xml(head(title, 90))}</text>`,
    text(PLOT.left, 46, head(subtitle, 110)),
    ...body,
    '</svg>',
  ].join('');
}

/** Gridlines and labels of one axis: left or right of the plot, from 0 to `top`. */
function axis(side: 'left' | 'right', top: number, step: number, label: (v: number) => string, color: string = COLORS.muted): string[] {
  const { width, height } = CHART_SIZE;
  const bottom = height - PLOT.bottom;
  const out: string[] = [];
  for (let v = 0; v <= top + step / 2; v += step) {
    const y = bottom - (v / top) * (bottom - PLOT.top);
    if (side === 'left') out.push(`<line x1="${PLOT.left}" x2="${width - PLOT.right}" y1="${n(y)}" y2="${n(y)}" stroke="${COLORS.grid}"/>`);
    const x = side === 'left' ? PLOT.left - 8 : width - PLOT.right + 8;
    out.push(text(x, y + 4, label(v), `text-anchor="${side === 'left' ? 'end' : 'start'}"`, color));
  }
  return out;
}

const legend = (items: { color: string; label: string; kind: 'box' | 'line' }[]): string[] => {
  let x = CHART_SIZE.width - PLOT.right;
  const out: string[] = [];
  for (const item of [...items].reverse()) {
    x -= item.label.length * 6.5 + 26;
    out.push(
      item.kind === 'box'
        ? `<rect x="${n(x)}" y="36" width="12" height="12" fill="${item.color}"/>`
        : `<line x1="${n(x)}" x2="${n(x + 14)}" y1="42" y2="42" stroke="${item.color}" stroke-width="3"/>`,
      text(x + 18, 47, item.label),
    );
  }
  return out;
};

const PART_LABEL: Record<TrendDay['part'], string> = { current: 'this digest', previous: 'the period before', earlier: 'earlier' };

/** The trend of the digest's last days: one bar a day, the digest's own window dark, the one before light. */
export function trendChartSvg(chart: TrendChart): string {
  const { width, height } = CHART_SIZE;
  const bottom = height - PLOT.bottom;
  const plotWidth = width - PLOT.left - PLOT.right;
  const slot = plotWidth / Math.max(1, chart.days.length);
  const bars = chart.days.map((d) => (chart.metric === 'roas' ? (d.roas ?? 0) : d.spend));
  const barScale = niceMax(Math.max(0, ...bars), 4);
  const y = (v: number, top: number) => bottom - (Math.max(0, v) / top) * (bottom - PLOT.top);
  const body: string[] = [...axis('left', barScale.top, barScale.step, (v) => (chart.metric === 'roas' ? ratio(v) : money(v, chart.currency)))];
  chart.days.forEach((d, i) => {
    const value = bars[i] ?? 0;
    const top = y(value, barScale.top);
    body.push(`<rect x="${n(PLOT.left + i * slot + slot * 0.15)}" y="${n(top)}" width="${n(slot * 0.7)}" height="${n(bottom - top)}" fill="${COLORS[d.part]}"/>`);
    // Every other label when the days crowd the axis.
    if (chart.days.length <= 16 || i % 2 === 0)
      body.push(text(PLOT.left + i * slot + slot / 2, bottom + 18, day(d.start, chart.timeZone).replace(/^\w+, /, ''), 'text-anchor="middle"'));
  });
  const items: { color: string; label: string; kind: 'box' | 'line' }[] = [
    { color: COLORS.current, label: PART_LABEL.current, kind: 'box' },
    { color: COLORS.previous, label: PART_LABEL.previous, kind: 'box' },
  ];
  if (chart.metric === 'spend_results') {
    const results = chart.days.map((d) => d.results);
    const lineScale = niceMax(Math.max(0, ...results.map((r) => r ?? 0)), 4);
    body.push(...axis('right', lineScale.top, lineScale.step, count, COLORS.line));
    const points = results.flatMap((r, i) => (r === null ? [] : [[PLOT.left + i * slot + slot / 2, y(r, lineScale.top)] as const]));
    if (points.length > 1) body.push(`<polyline points="${points.map(([px, py]) => `${n(px)},${n(py)}`).join(' ')}" fill="none" stroke="${COLORS.line}" stroke-width="2.5"/>`);
    for (const [px, py] of points) body.push(`<circle cx="${n(px)}" cy="${n(py)}" r="3.5" fill="${COLORS.line}"/>`);
    items.push({ color: COLORS.line, label: 'results', kind: 'line' });
  }
  body.push(...legend(items));
  const what = chart.metric === 'roas' ? 'ROAS by day' : 'Spend (bars) and results (line) by day';
  return frame(what, `last ${chart.days.length} days · ${chart.timeZone}`, body);
}

const metricText = (metric: HourlyChart['metric'], value: number, currency: Currency | null) => {
  switch (metric) {
    case 'ctr':
      return percent(value);
    case 'roas':
      return ratio(value);
    default:
      return money(value, currency);
  }
};

const hourLabel = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at);

/** An alert's metric by the hour: the line, the usual band behind it, or the limit as a dashed line. */
export function hourlyChartSvg(chart: HourlyChart): string {
  const { width, height } = CHART_SIZE;
  const bottom = height - PLOT.bottom;
  const plotWidth = width - PLOT.left - PLOT.right;
  const values = chart.points.flatMap((p) => [p.value, p.high ?? null]).filter((v): v is number => v !== null && Number.isFinite(v));
  const scale = niceMax(Math.max(0, chart.limit ?? 0, ...values) * 1.05, 4);
  const x = (i: number) => PLOT.left + (chart.points.length > 1 ? (i / (chart.points.length - 1)) * plotWidth : plotWidth / 2);
  const y = (v: number) => bottom - (Math.max(0, v) / scale.top) * (bottom - PLOT.top);
  const body = axis('left', scale.top, scale.step, (v) => metricText(chart.metric, v, chart.currency));
  const banded = chart.points.flatMap((p, i) => (p.low != null && p.high != null ? [{ i, low: p.low, high: p.high }] : []));
  if (banded.length > 1) {
    const upper = banded.map((b) => `${n(x(b.i))},${n(y(b.high))}`);
    const lower = [...banded].reverse().map((b) => `${n(x(b.i))},${n(y(b.low))}`);
    body.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${COLORS.band}" stroke="none"/>`);
  }
  if (chart.limit !== undefined) {
    const ly = y(chart.limit);
    body.push(`<line x1="${PLOT.left}" x2="${width - PLOT.right}" y1="${n(ly)}" y2="${n(ly)}" stroke="${COLORS.limit}" stroke-width="2" stroke-dasharray="8 5"/>`);
    body.push(text(width - PLOT.right + 6, ly + 4, `limit ${metricText(chart.metric, chart.limit, chart.currency)}`, '', COLORS.limit));
  }
  const points = chart.points.flatMap((p, i) => (p.value === null ? [] : [[x(i), y(p.value)] as const]));
  if (points.length > 1) body.push(`<polyline points="${points.map(([px, py]) => `${n(px)},${n(py)}`).join(' ')}" fill="none" stroke="${COLORS.current}" stroke-width="2.5"/>`);
  const last = points.at(-1);
  if (last) body.push(`<circle cx="${n(last[0])}" cy="${n(last[1])}" r="4.5" fill="${COLORS.current}"/>`);
  const step = Math.max(1, Math.ceil(chart.points.length / 12));
  chart.points.forEach((p, i) => {
    if (i % step === 0) body.push(text(x(i), bottom + 18, `${hourLabel(p.at, chart.timeZone)}h`, 'text-anchor="middle"'));
  });
  const items: { color: string; label: string; kind: 'box' | 'line' }[] = [{ color: COLORS.current, label: 'now', kind: 'line' }];
  if (banded.length > 1) items.push({ color: COLORS.band, label: chart.bandLabel ?? 'usual range', kind: 'box' });
  body.push(...legend(items));
  const from = chart.points[0]?.at;
  const to = chart.points.at(-1)?.at;
  const span = from && to ? `${day(from, chart.timeZone)} ${hourLabel(from, chart.timeZone)}h – ${day(to, chart.timeZone)} ${hourLabel(to, chart.timeZone)}h` : '';
  return frame(chart.title, `${span} · ${chart.timeZone}`, body);
}

const trendFigure = (chart: TrendChart, d: TrendDay) =>
  chart.metric === 'roas'
    ? `ROAS ${d.roas === null ? 'none' : ratio(d.roas)}`
    : `${money(d.spend, chart.currency)}, ${d.results === null ? 'no results counted' : `${count(d.results)} results`}`;

/** What the trend chart shows, in words: every day's figures, and which days are the digest's. */
export function trendAltText(chart: TrendChart): string {
  const days = chart.days.map(
    (d) => `${day(d.start, chart.timeZone)}${d.part === 'current' ? ' (this digest)' : d.part === 'previous' ? ' (before)' : ''}: ${trendFigure(chart, d)}`,
  );
  const what = chart.metric === 'roas' ? 'ROAS by day' : 'Spend and results by day';
  return head(`${what}, last ${chart.days.length} days (${chart.timeZone}). ${days.join('; ')}.`, LIMITS.imageAltText);
}

/** What the alert chart shows, in words. */
export function hourlyAltText(chart: HourlyChart): string {
  const shown = chart.points.filter((p) => p.value !== null);
  const last = shown.at(-1);
  const band =
    last && last.low != null && last.high != null
      ? `; ${chart.bandLabel ?? 'usual range'} ${metricText(chart.metric, last.low, chart.currency)}–${metricText(chart.metric, last.high, chart.currency)}`
      : '';
  const limit = chart.limit === undefined ? '' : `; limit ${metricText(chart.metric, chart.limit, chart.currency)}`;
  const now = last?.value == null ? 'no value yet' : `${metricText(chart.metric, last.value, chart.currency)} at ${hourLabel(last.at, chart.timeZone)}:00`;
  const series = shown.map((p) => `${hourLabel(p.at, chart.timeZone)}h ${metricText(chart.metric, p.value ?? 0, chart.currency)}`).join(', ');
  return head(`${chart.title}: ${now}${band}${limit}. By the hour: ${series}.`, LIMITS.imageAltText);
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** A text chart of the values, one character each, lowest to highest; a gap for a missing one. */
export function sparkline(values: readonly (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const low = Math.min(...known);
  const high = Math.max(...known);
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      if (high === low) return SPARKS[high > 0 ? 3 : 0];
      return SPARKS[Math.round(((v - low) / (high - low)) * (SPARKS.length - 1))];
    })
    .join('');
}

/** The sparkline's line for a digest: what it draws and the range, so it reads without the chart. */
export function trendSparkline(chart: TrendChart): string {
  const values = chart.days.map((d) => (chart.metric === 'roas' ? d.roas : d.spend));
  const known = values.filter((v): v is number => v !== null);
  const fmt = (v: number) => (chart.metric === 'roas' ? ratio(v) : money(v, chart.currency));
  const range = known.length ? ` ${fmt(Math.min(...known))}–${fmt(Math.max(...known))}` : '';
  const label = chart.metric === 'roas' ? 'ROAS' : 'Spend';
  return `${label}, last ${chart.days.length} days: \`${sparkline(values)}\`${range}`;
}
