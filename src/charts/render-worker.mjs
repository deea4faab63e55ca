// Rasterises chart SVGs to PNG off the event loop that acks Slack's requests. Plain JavaScript, so the same file
// runs under node, tsx and vitest without a TypeScript loader in the worker.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import resvg from '@resvg/resvg-js';

// Each picture holds its pixmap (1.3 MB) in native memory that V8 does not count, so its collector would let dozens
// pile up before running: collecting this small heap after each chart keeps RSS flat.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc');

const font = { fontFiles: [workerData.fontFile], loadSystemFonts: false, defaultFontFamily: workerData.fontFamily };

// renderAsync, not `new Resvg(svg).render()`: in resvg-js 2.6.2 the synchronous render's pixmap is never freed
// (about 1.5 MB lost per chart, measured), the async one's is.
parentPort.on('message', async ({ id, request: svg }) => {
  try {
    const png = (await resvg.renderAsync(svg, { font, background: '#ffffff' })).asPng();
    parentPort.postMessage({ id, value: png }, [png.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: String(err) });
  } finally {
    collect();
  }
});
