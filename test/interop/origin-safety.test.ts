import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Controller } from '../../app/controller.js';
import { type RawResponse, rawRequest } from './support/raw-http.js';
import { startTestController } from './support/test-controller.js';

const EVIL = 'https://evil.example';

/** Opens the console's event socket with the given headers; resolves with the first event or the refusal status. */
function openEvents(
  port: number,
  options: { origin?: string; host?: string; protocols?: string[] },
): Promise<{ opened: boolean; status?: number; firstEvent?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/console/events`, options.protocols ?? ['tally.v1'], {
      origin: options.origin,
      headers: options.host ? { Host: options.host } : undefined,
    });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ opened: true });
    }, 5000);
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      resolve({ opened: false, status: res.statusCode });
      ws.terminate();
    });
    ws.on('message', (data) => {
      clearTimeout(timer);
      resolve({ opened: true, firstEvent: String(data).slice(0, 40) });
      ws.close();
    });
    ws.on('error', () => {});
  });
}

const json = (r: RawResponse) => JSON.parse(r.body) as Record<string, unknown>;

describe('browser-origin safety of the API and console', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-origin-'));
  let controller: Controller;
  const port = () => controller.apiListener?.port ?? 0;
  const own = () => `http://127.0.0.1:${port()}`;

  beforeAll(async () => {
    ({ controller } = await startTestController(dir, { console: true }));
    await controller.startServer();
  });

  afterAll(async () => {
    await controller?.close();
  });

  it('refuses a simple cross-site POST that would stop the server', async () => {
    const r = await rawRequest(port(), {
      method: 'POST',
      path: '/console/api/stopServer',
      headers: { Origin: EVIL, 'Content-Type': 'text/plain' },
      body: '[]',
    });
    expect(r.status).toBe(403);
    expect(json(r).error).toMatch(/evil\.example/);
    expect((await controller.getStatus()).state).toBe('running');
  });

  it('refuses a foreign origin even with a JSON content type, and a DVR start from any other page', async () => {
    const stop = await rawRequest(port(), {
      method: 'POST',
      path: '/console/api/stopServer',
      headers: { Origin: EVIL, 'Content-Type': 'application/json' },
      body: '[]',
    });
    expect(stop.status).toBe(403);
    const dvr = await rawRequest(port(), {
      method: 'POST',
      path: '/api/v1/dvr',
      headers: { Origin: EVIL, 'Content-Type': 'text/plain' },
      body: '{"app":"live","stream":"x","enabled":true}',
    });
    expect(dvr.status).toBe(403);
    const states = (await controller.listRecordings()).length;
    expect(states).toBe(0);
    expect((await controller.getStatus()).state).toBe('running');
  });

  it('serves the console from its own origin, but only with a JSON body', async () => {
    const ok = await rawRequest(port(), {
      method: 'POST',
      path: '/console/api/getStatus',
      headers: { Origin: own(), 'Content-Type': 'application/json' },
      body: '[]',
    });
    expect(ok.status).toBe(200);
    expect(json(ok)).toMatchObject({ ok: true, result: { state: 'running' } });
    const simple = await rawRequest(port(), {
      method: 'POST',
      path: '/console/api/getStatus',
      headers: { Origin: own(), 'Content-Type': 'text/plain' },
      body: '[]',
    });
    expect(simple.status).toBe(415);
  });

  it('keeps programs (curl, SRS tools) working: no Origin, any content type', async () => {
    const r = await rawRequest(port(), {
      method: 'POST',
      path: '/api/v1/dvr',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '{"app":"live","stream":"curl","enabled":false}',
    });
    expect(r.status).toBe(200);
    expect(json(r).code).toBe(0);
  });

  it('answers CORS to no foreign origin by default', async () => {
    const r = await rawRequest(port(), { path: '/api/v1/streams', headers: { Origin: EVIL } });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await rawRequest(port(), {
      method: 'OPTIONS',
      path: '/api/v1/dvr',
      headers: { Origin: EVIL, 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(403);
  });

  it('refuses requests addressed to a foreign Host name (DNS rebinding)', async () => {
    const api = await rawRequest(port(), {
      path: '/api/v1/streams',
      headers: { Host: `rebind.evil.example:${port()}` },
    });
    expect(api.status).toBe(403);
    expect(json(api).message).toMatch(/api\.allowedHosts/);
    const metrics = await rawRequest(port(), { path: '/metrics', headers: { Host: 'rebind.evil.example' } });
    expect(metrics.status).toBe(401);
    const events = await openEvents(port(), { host: `rebind.evil.example:${port()}` });
    expect(events).toMatchObject({ opened: false, status: 403 });
    // localhost by name is this machine.
    const local = await rawRequest(port(), { path: '/api/v1/versions', headers: { Host: `localhost:${port()}` } });
    expect(local.status).toBe(200);
  });

  it('opens the event socket for the console origin only', async () => {
    expect(await openEvents(port(), { origin: EVIL })).toMatchObject({ opened: false, status: 403 });
    const mine = await openEvents(port(), { origin: own() });
    expect(mine.opened).toBe(true);
    expect(mine.firstEvent).toMatch(/"type"/);
  });

  it('refuses the GET reload from another site, as any other change', async () => {
    const foreign = await rawRequest(port(), {
      path: '/api/v1/raw?rpc=reload',
      headers: { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors' },
    });
    expect(foreign.status).toBe(403);
    const tool = await rawRequest(port(), { path: '/api/v1/raw?rpc=reload' });
    expect(tool.status).toBe(200);
  });

  it('answers bad input at the contract boundary with 400 and a reason', async () => {
    const headers = { Origin: own(), 'Content-Type': 'application/json' };
    const push = await rawRequest(port(), {
      method: 'POST',
      path: '/console/api/getPushInfo',
      headers,
      body: '["live", {"x": 1}]',
    });
    expect(push.status).toBe(400);
    expect(json(push).error).toMatch(/getPushInfo/);
    const settings = await rawRequest(port(), {
      method: 'POST',
      path: '/console/api/validateSettings',
      headers,
      body: '[null]',
    });
    expect(settings.status).toBe(400);
    const notJson = await rawRequest(port(), { method: 'POST', path: '/console/api/getStatus', headers, body: '[' });
    expect(notJson.status).toBe(400);
    const badEscape = await rawRequest(port(), { path: '/api/v1/streams/%E0%A4%A' });
    expect(badEscape.status).toBe(400);
    expect(json(badEscape).message).toMatch(/percent-escape/);
    const longName = await rawRequest(port(), {
      method: 'POST',
      path: '/api/v1/dvr',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ app: 'live', stream: 'x'.repeat(1000), enabled: true }),
    });
    expect(longName.status).toBe(400);
    expect(await controller.validateSettings(null as unknown as Record<string, unknown>)).toMatchObject({ ok: false });
  });

  it('refuses settings that would expose the API without a token, writing and restarting nothing', async () => {
    const before = readFileSync(join(dir, 'settings.json'), 'utf8');
    const portBefore = port();
    const values = { ...JSON.parse(before), api: { host: '0.0.0.0', port: 0 } };
    const result = await controller.saveSettings(values);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      expect.objectContaining({ key: 'api.token', message: expect.stringMatching(/not loopback/) }),
    ]);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before);
    expect(port()).toBe(portBefore);
    expect((await rawRequest(port(), { path: '/api/v1/versions' })).status).toBe(200);
  });

  it('lets a configured origin in with CORS', async () => {
    const values = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
    const saved = await controller.saveSettings({
      ...values,
      api: { ...values.api, corsOrigins: ['https://dash.example'] },
    });
    expect(saved.ok).toBe(true);
    const r = await rawRequest(port(), { path: '/api/v1/streams', headers: { Origin: 'https://dash.example' } });
    expect(r.headers['access-control-allow-origin']).toBe('https://dash.example');
    const preflight = await rawRequest(port(), {
      method: 'OPTIONS',
      path: '/api/v1/dvr',
      headers: { Origin: 'https://dash.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST');
  });

  it('checks one token everywhere, Bearer and Basic alike, once one is set', async () => {
    const values = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
    expect((await controller.saveSettings({ ...values, api: { ...values.api, token: 's3cret-token' } })).ok).toBe(true);
    const bearer = { Authorization: 'Bearer s3cret-token' };
    const basic = { Authorization: `Basic ${Buffer.from('admin:s3cret-token').toString('base64')}` };
    const wrong = { Authorization: 'Bearer s3cret-tokeX' };
    expect((await rawRequest(port(), { path: '/metrics' })).status).toBe(401);
    expect((await rawRequest(port(), { path: '/metrics', headers: bearer })).status).toBe(200);
    expect((await rawRequest(port(), { path: '/metrics', headers: basic })).status).toBe(200);
    expect((await rawRequest(port(), { path: '/api/v1/streams', headers: wrong })).status).toBe(401);
    expect((await rawRequest(port(), { path: '/api/v1/streams', headers: basic })).status).toBe(200);
    const call = (headers: Record<string, string>) =>
      rawRequest(port(), {
        method: 'POST',
        path: '/console/api/getStatus',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: '[]',
      });
    expect((await call({})).status).toBe(401);
    expect((await call(basic)).status).toBe(200);
    expect((await rawRequest(port(), { path: '/api/v1/raw?rpc=reload' })).status).toBe(401);
    expect((await rawRequest(port(), { path: '/api/v1/raw?rpc=reload', headers: basic })).status).toBe(200);
    expect(await openEvents(port(), { origin: own() })).toMatchObject({ opened: false, status: 401 });
    const tokenProtocol = `tally.token.${Buffer.from('s3cret-token').toString('base64url')}`;
    const withToken = await openEvents(port(), { origin: own(), protocols: ['tally.v1', tokenProtocol] });
    expect(withToken.opened).toBe(true);
    // With a token required, a page on any origin may call, but only with the token.
    const cross = await rawRequest(port(), { path: '/api/v1/streams', headers: { Origin: EVIL, ...bearer } });
    expect(cross.status).toBe(200);
    expect(cross.headers['access-control-allow-origin']).toBe(EVIL);
  });
});
