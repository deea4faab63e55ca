// Rasterises chart SVGs to PNG off the event loop that acks Slack's requests. Plain JavaScript, so the same file
// runs under node, tsx and vitest without a TypeScript loader in the worker.
import { parentPort, workerData } from 'node:worker_threads';
import resvg from '@resvg/resvg-js';

const font = { fontFiles: [workerData.fontFile], loadSystemFonts: false, defaultFontFamily: workerData.fontFamily };

parentPort.on('message', ({ id, svg }) => {
  try {
    const png = new resvg.Resvg(svg, { font, background: '#ffffff' }).render().asPng();
    parentPort.postMessage({ id, png }, [png.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: String(err) });
  }
});
