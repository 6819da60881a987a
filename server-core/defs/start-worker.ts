import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread on a script that may be TypeScript source (tests, `npm run serve`, the benches): Node 20's
 * workers do not take tsx's loader from the parent, so a .ts entry is imported by a small ESM prelude that
 * registers tsx in the worker first. A .js/.cjs entry (the desktop app's bundle) starts as it is.
 */
export function startWorker(script: URL | string): Worker {
  const href = script instanceof URL ? script.href : pathToFileURL(script).href;
  if (!href.endsWith('.ts')) return new Worker(script);
  const prelude = [
    `const { register } = await import(${JSON.stringify(tsxApi())});`,
    'register();',
    `await import(${JSON.stringify(href)});`,
  ].join('\n');
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(prelude)}`));
}

/** tsx's ESM register API, by absolute URL (a data: module cannot resolve bare names). */
function tsxApi(): string {
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href;
}
