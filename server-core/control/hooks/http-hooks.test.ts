import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientContext } from '../../defs/admission.js';
import { HttpHooks, type HttpHooksOptions } from './http-hooks.js';

interface Received {
  path: string;
  contentType?: string;
  body: Record<string, unknown>;
  at: number;
}

const client: ClientContext = {
  cid: 'k3x9a1',
  ip: '192.0.2.7',
  protocol: 'rtmp',
  vhost: '__defaultVhost__',
  app: 'live',
  stream: 'cam',
  param: 'secret=s3&token=t',
  tcUrl: 'rtmp://192.0.2.1/live',
  referer: 'https://example.org/player.html',
};

/** A real callback server, as an SRS user runs beside the media server. Paths say how it answers. */
describe('HttpHooks', () => {
  let server: Server;
  let base: string;
  let received: Received[];
  let flakyFailures: number;
  let warnings: { obj: Record<string, unknown>; msg: string }[];
  const logger = {
    warn: (obj: Record<string, unknown>, msg: string) => warnings.push({ obj, msg }),
  } as unknown as Logger;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        received.push({
          path,
          contentType: req.headers['content-type'],
          body: JSON.parse(Buffer.concat(chunks).toString() || '{}'),
          at: performance.now(),
        });
        const reply = (status: number, body: string) => res.writeHead(status).end(body);
        if (path === '/ok') reply(200, '0');
        else if (path === '/ok-json') reply(200, ' {"code":0} \n');
        else if (path === '/refuse') reply(200, '{"code":403,"msg":"not today"}');
        else if (path === '/error-500') reply(500, '0');
        else if (path === '/garbage') reply(200, 'yes please');
        else if (path === '/slow') setTimeout(() => reply(200, '0'), 1500).unref();
        else if (path === '/flaky') {
          if (flakyFailures > 0) {
            flakyFailures--;
            reply(503, 'busy');
          } else reply(200, '0');
        } else reply(404, 'no such hook');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    received = [];
    flakyFailures = 0;
    warnings = [];
  });

  function hooks(urls: HttpHooksOptions['urls'], options: Partial<HttpHooksOptions> = {}) {
    return new HttpHooks({
      urls,
      // Generous: the first request of a process is slow on a loaded machine; the timeout test sets its own.
      timeoutMs: 3000,
      retries: 2,
      serverId: 'vid-server1',
      serviceId: 'svc42',
      logger,
      ...options,
    });
  }
  const url = (path: string) => `${base}${path}`;
  const until = async (condition: () => boolean, ms = 5000) => {
    const deadline = performance.now() + ms;
    while (!condition()) {
      if (performance.now() > deadline) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('posts SRS’s JSON payload for a question and admits on HTTP 200 with 0', async () => {
    const verdict = await hooks({ on_publish: [url('/ok')] }).ask('on_publish', client);
    expect(verdict).toEqual({ allowed: true });
    expect(received).toHaveLength(1);
    expect(received[0].contentType).toBe('application/json');
    expect(received[0].body).toEqual({
      server_id: 'vid-server1',
      service_id: 'svc42',
      action: 'on_publish',
      client_id: client.cid,
      ip: client.ip,
      vhost: client.vhost,
      app: client.app,
      stream: client.stream,
      param: `?${client.param}`,
      tcUrl: client.tcUrl,
      pageUrl: client.referer,
      stream_url: '/live/cam',
      stream_id: '',
      protocol: 'rtmp',
    });
  });

  it('sends an empty param and stream_url when the client has none (on_connect)', async () => {
    const h = hooks({ on_connect: [url('/ok-json')] });
    const verdict = await h.ask('on_connect', { ...client, stream: '', param: '', referer: undefined });
    expect(verdict.allowed).toBe(true);
    expect(received[0].body).toMatchObject({ action: 'on_connect', param: '', stream_url: '', pageUrl: '' });
  });

  it('asks every URL in order and admits only when all of them agree', async () => {
    const h = hooks({ on_play: [url('/ok'), url('/ok-json')] });
    expect(await h.ask('on_play', client)).toEqual({ allowed: true });
    expect(received.map((r) => r.path)).toEqual(['/ok', '/ok-json']);
  });

  it('refuses at the first URL that refuses, without asking the rest', async () => {
    const h = hooks({ on_play: [url('/ok'), url('/refuse'), url('/ok')] });
    const verdict = await h.ask('on_play', client);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason).toContain('code 403');
    expect(received.map((r) => r.path)).toEqual(['/ok', '/refuse']);
  });

  it.each([
    ['a non-zero code', '/refuse', 'code 403'],
    ['a non-200 status', '/error-500', 'HTTP 500'],
    ['a reply that is neither 0 nor {"code":0}', '/garbage', 'neither'],
    ['a hook that does not exist', '/missing', 'HTTP 404'],
  ])('refuses on %s', async (_what, path, why) => {
    const verdict = await hooks({ on_publish: [url(path)] }).ask('on_publish', client);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) {
      expect(verdict.reason).toContain(why);
      expect(verdict.reason).toContain(url(path));
    }
  });

  it('refuses when the hook does not answer within the timeout', async () => {
    const started = performance.now();
    const verdict = await hooks({ on_publish: [url('/slow')] }, { timeoutMs: 200 }).ask('on_publish', client);
    const took = performance.now() - started;
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason).toContain('no reply within 200 ms');
    expect(took).toBeGreaterThanOrEqual(150);
    expect(took).toBeLessThan(1400);
  });

  it('refuses when nothing listens at the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const verdict = await hooks({ on_play: [`http://127.0.0.1:${port}/x`] }).ask('on_play', client);
    expect(verdict.allowed).toBe(false);
  });

  it('knows which events have URLs, and takes new ones on update', async () => {
    const h = hooks({ on_publish: [url('/ok')], on_play: [] });
    expect(h.has('on_publish')).toBe(true);
    expect(h.has('on_play')).toBe(false);
    expect(h.has('on_stop')).toBe(false);
    h.update({ urls: { on_play: [url('/refuse')] }, timeoutMs: 3000, retries: 0 });
    expect(h.has('on_publish')).toBe(false);
    expect((await h.ask('on_play', client)).allowed).toBe(false);
  });

  it('notifies without blocking: the call returns before the hook has even answered', async () => {
    const h = hooks({ on_unpublish: [url('/slow')] }, { timeoutMs: 3000, retries: 0 });
    const result = h.notify('on_unpublish', client) as unknown;
    expect(result).toBeUndefined();
    expect(received).toHaveLength(0);
    await until(() => received.length === 1);
    expect(received[0].body.action).toBe('on_unpublish');
  });

  it('notifies every URL and merges extra fields into the payload', async () => {
    const h = hooks({ on_dvr: [url('/ok'), url('/ok-json')] });
    h.notify('on_dvr', client, { file: './objs/live/cam.flv', duration: 12.5 });
    await until(() => received.length === 2);
    expect(received.map((r) => r.path).sort()).toEqual(['/ok', '/ok-json']);
    for (const r of received) {
      expect(r.body).toMatchObject({
        action: 'on_dvr',
        client_id: client.cid,
        file: './objs/live/cam.flv',
        duration: 12.5,
      });
    }
  });

  it('retries a failed notification with a growing delay until it gets through', async () => {
    flakyFailures = 2;
    hooks({ on_stop: [url('/flaky')] }, { retries: 3 }).notify('on_stop', client);
    await until(() => received.length === 3);
    const gaps = [received[1].at - received[0].at, received[2].at - received[1].at];
    expect(gaps[0]).toBeGreaterThanOrEqual(400);
    expect(gaps[1]).toBeGreaterThan(gaps[0] * 1.5);
    // It got through: no further attempts, nothing logged as failed.
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(3);
    expect(warnings).toEqual([]);
  });

  it('gives up after hooks.retries extra attempts and logs one line saying why', async () => {
    hooks({ on_close: [url('/error-500')] }, { retries: 1 }).notify('on_close', client);
    await until(() => warnings.length === 1);
    expect(received).toHaveLength(2);
    expect(warnings[0].msg).toContain('on_close');
    expect(warnings[0].obj).toMatchObject({ cid: client.cid, url: url('/error-500'), why: 'HTTP 500' });
    await new Promise((r) => setTimeout(r, 700));
    expect(received).toHaveLength(2);
  });
});
