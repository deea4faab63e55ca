import { createRequire } from 'node:module';
import { CHART_FONT } from '../../blocks/chart';
import { workerCalls } from '../worker-calls';

/** Turns a chart's SVG into PNG bytes. */
export interface ChartRenderer {
  render(svg: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A TrueType file shipped by an npm package: the bot draws the same text on a machine without system fonts. */
export const CHART_FONT_FILE = createRequire(import.meta.url).resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf');

/** One worker thread, started on the first chart and kept: a chart is tens of milliseconds of CPU, which must not hold the event loop that acks clicks. */
export function createChartRenderer(): ChartRenderer {
  const worker = workerCalls<string, Uint8Array>(new URL('./render-worker.mjs', import.meta.url), { fontFile: CHART_FONT_FILE, fontFamily: CHART_FONT }, 'chart not drawn');
  return { render: (svg) => worker.call(svg), close: () => worker.close() };
}
