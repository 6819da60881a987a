import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseConfig } from '../../../server-core/control/config/load-config.js';
import type { TallyConfigInput } from '../../../server-core/control/config/schema.js';
import { TallyServer } from '../../../server-core/core.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'logs');

export interface RunningServer {
  server: TallyServer;
  rtmpUrl(path: string): string;
  httpUrl(path: string): string;
  wsUrl(path: string): string;
  apiUrl(path: string): string;
  close(): Promise<void>;
}

/**
 * Starts the real server on loopback with free ports. Its log goes to test-artifacts/logs/<name>.log so a
 * failing test can be followed by context id.
 */
export async function startTestServer(name: string, overrides: TallyConfigInput = {}): Promise<RunningServer> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const logDestination = pino.destination({ dest: join(ARTIFACTS, `${name}.log`), sync: true });
  const config = parseConfig({
    ...overrides,
    log: { level: 'debug', ...overrides.log },
    rtmp: { host: '127.0.0.1', port: 0, ...overrides.rtmp },
    srt: { host: '127.0.0.1', port: 0, ...overrides.srt },
    rtc: { host: '127.0.0.1', port: 0, ...overrides.rtc },
    http: { host: '127.0.0.1', port: 0, ...overrides.http },
    api: { host: '127.0.0.1', port: 0, ...overrides.api },
  });
  const server = new TallyServer({ config, logDestination });
  await server.start();
  return {
    server,
    rtmpUrl: (path) => `rtmp://127.0.0.1:${server.rtmp?.port}${path}`,
    httpUrl: (path) => `http://127.0.0.1:${server.http?.port}${path}`,
    wsUrl: (path) => `ws://127.0.0.1:${server.http?.port}${path}`,
    apiUrl: (path) => `http://127.0.0.1:${server.apiHttp?.port}${path}`,
    close: () => server.close(),
  };
}

/** Polls until `condition` holds, failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls an async probe until it returns a value (not undefined), failing after `timeoutMs`. */
export async function pollFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
