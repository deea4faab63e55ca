// Rasterises chart SVGs to PNG off the event loop that acks Slack's requests. Plain JavaScript, so the same file
// runs under node, tsx and vitest without a TypeScript loader in the worker.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

// resvg as WebAssembly rather than the native resvg-js: a render runs on this thread, in one linear memory that the
// next chart reuses, where resvg-js's renderAsync ran on libuv's pool and each pool thread kept a render's worth of
// malloc arena. Baseline code only: V8's optimising tier recompiles resvg's hot functions on its background threads
// and keeps about 75 MB more for it (bench: +29 MB of RSS with this flag, +105 MB without), while a chart stays well
// within its time (p50 36 ms against the native 24 ms). The flag is the process's, so any WebAssembly compiled after
// the first chart (undici's HTTP parser in fetch) runs unoptimised too; nothing else here is hot in wasm.
setFlagsFromString('--liftoff-only');
await initWasm(readFileSync(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm')));
// The module's 2.4 MB of bytes and the compiler's scratch are garbage now, but this thread allocates too little to
// collect them soon: one collection here keeps 2–3 MB off the process's RSS (bench: +28 MB after 31 charts, not +30).
setFlagsFromString('--expose-gc');
runInNewContext('gc')();

const font = { fontBuffers: [readFileSync(workerData.fontFile)], defaultFontFamily: workerData.fontFamily };

parentPort.on('message', ({ id, request: svg }) => {
  let resvg;
  let image;
  try {
    resvg = new Resvg(svg, { font, background: '#ffffff' });
    image = resvg.render();
    const png = image.asPng();
    parentPort.postMessage({ id, value: png }, [png.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: String(err) });
  } finally {
    // Both hold their memory inside the wasm instance until freed: V8's collector sees only small wrappers.
    image?.free();
    resvg?.free();
  }
});
