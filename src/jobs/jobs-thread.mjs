// The jobs thread's entry. Plain JavaScript that loads the TypeScript it runs with tsx's API, so the same file
// starts under node, tsx and vitest, none of which gives a worker a TypeScript loader of its own.
import { tsImport } from 'tsx/esm/api';

await tsImport('./serve.ts', import.meta.url);
