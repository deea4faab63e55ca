import { describe, expect, it } from 'vitest';
import { hourlyAltText, hourlyChartSvg, sparkline, type TrendChart, trendAltText, trendChartSvg, trendSparkline } from '../../blocks/chart';
import { LIMITS } from '../../blocks/limits';
import { currencyOf } from '../../src/currency';

const usd = currencyOf('usd');
const days = (spends: number[]): TrendChart['days'] =>
  spends.map((spend, i) => ({ start: new Date(Date.UTC(2026, 10, 10 + i, 5)), spend, results: i, roas: spend ? 2 : null, part: i === spends.length - 1 ? 'current' : 'earlier' }));

describe('chart views', () => {
  it('a sparkline runs lowest to highest, a gap for a missing day, and a flat line for equal days', () => {
    expect(sparkline([0, 50, 100, null, 100])).toBe('▁▅█ █');
    expect(sparkline([3, 3, 3])).toBe('▄▄▄');
    expect(sparkline([null, null])).toBe('  ');
  });

  it('the trend says every day’s figures in its alt text and in the sparkline’s range', () => {
    const chart: TrendChart = { metric: 'spend_results', days: days([10, 1250.5, 0]), currency: usd, timeZone: 'America/New_York' };
    expect(trendAltText(chart)).toContain('Wed, Nov 11: $1,250.50, 1 results; Thu, Nov 12 (this digest): $0.00, 2 results');
    expect(trendSparkline(chart)).toBe('Spend, last 3 days: `▁█▁` $0.00–$1,250.50');
  });

  it('titles from Whop are escaped in the SVG and alt text stays within Slack’s limit', () => {
    const points = Array.from({ length: 300 }, (_, i) => ({ at: new Date(Date.UTC(2026, 10, 1, i)), value: i, low: 1, high: 2 }));
    const chart = { title: 'Spend of <script>&"x"', metric: 'spend' as const, currency: usd, timeZone: 'UTC', points };
    const svg = hourlyChartSvg(chart);
    expect(svg).toContain('Spend of &lt;script&gt;&amp;&quot;x&quot;');
    expect(svg).not.toContain('<script>');
    expect(hourlyAltText(chart).length).toBeLessThanOrEqual(LIMITS.imageAltText);
    expect(trendChartSvg({ metric: 'roas', days: days([]), currency: null, timeZone: 'UTC' })).toContain('</svg>');
  });
});
