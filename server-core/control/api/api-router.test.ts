import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tokenAuthorizer } from './api-auth.js';
import { type ApiRequest, ApiRouter } from './api-router.js';
import { OriginPolicy } from './origin-policy.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown>;
}

const ENVELOPE = { server: 'vid-srv', service: 'svc-1', pid: '4242' };

describe('ApiRouter behind OriginPolicy and the token check', () => {
  let server: Server;
  let port: number;
  let token: string;
  let corsOrigins: string[];
  let allowedHosts: string[];
  let seen: ApiRequest[];

  beforeAll(async () => {
    const policy = new OriginPolicy({
      corsOrigins: () => corsOrigins,
      allowedHosts: () => allowedHosts,
      tokenRequired: () => token !== '',
    });
    const router = new ApiRouter(() => ENVELOPE, { policy, authorize: tokenAuthorizer(() => token) });
    const remember = (r: ApiRequest) => {
      seen.push(r);
      return { params: r.params, body: r.body ?? null, query: r.query.get('q') };
    };
    router.add('GET', '/api/v1/versions', () => ({ data: { major: 6 } }));
    router.add('GET', '/api/v1/streams/:id/', remember);
    router.add('DELETE', '/api/v1/clients/:id', remember);
    router.add('POST', '/api/v1/echo', remember);
    router.add('GET', '/api/v1/broken', () => {
      throw new Error('the handler fell over');
    });
    server = createServer((req, res) => {
      if (!router.route(req, res)) res.writeHead(418).end('not the API');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    token = '';
    corsOrigins = [];
    allowedHosts = [];
    seen = [];
  });

  function call(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string | Buffer } = {},
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers: options.headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      });
      req.on('error', reject);
      req.end(options.body);
    });
  }
  const json = { 'Content-Type': 'application/json' };

  describe('routing and the SRS envelope', () => {
    it('answers with code 0, the server, service and pid, and the handler’s fields', async () => {
      const reply = await call('GET', '/api/v1/versions');
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(reply.headers['cache-control']).toBe('no-cache');
      expect(Number(reply.headers['content-length'])).toBe(Buffer.byteLength(reply.text));
      expect(reply.json).toEqual({ code: 0, ...ENVELOPE, data: { major: 6 } });
    });

    it('accepts a path with or without its trailing slash, and passes the query', async () => {
      for (const path of ['/api/v1/streams/cam', '/api/v1/streams/cam/']) {
        const reply = await call('GET', `${path}?q=42`);
        expect(reply.status).toBe(200);
        expect(reply.json).toMatchObject({ params: { id: 'cam' }, query: '42' });
      }
    });

    it('decodes percent-escaped :params', async () => {
      const reply = await call('GET', '/api/v1/streams/live%2Fcam%20%C3%A9');
      expect(reply.json.params).toEqual({ id: 'live/cam é' });
    });

    it('answers 400 for a bad percent-escape, naming it', async () => {
      const reply = await call('GET', '/api/v1/streams/cam%E0%A4%A');
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ code: 4000, ...ENVELOPE });
      expect(reply.json.message).toContain('percent-escape');
      expect(seen).toEqual([]);
    });

    it('answers 404 for an unknown API path and 405 for a known path with the wrong method', async () => {
      const missing = await call('GET', '/api/v1/nothing');
      expect(missing.status).toBe(404);
      expect(missing.json).toMatchObject({ code: 4004, ...ENVELOPE });
      expect(missing.json.message).toContain('/api/v1/nothing');
      const wrongMethod = await call('PUT', '/api/v1/versions', { headers: json, body: '{}' });
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.json).toMatchObject({ code: 4005 });
    });

    it('leaves paths outside /api/ to the next route', async () => {
      const reply = await call('GET', '/live/cam.flv');
      expect(reply.status).toBe(418);
      expect(reply.text).toBe('not the API');
    });

    it('answers 500 with the message when a handler throws', async () => {
      const reply = await call('GET', '/api/v1/broken');
      expect(reply.status).toBe(500);
      expect(reply.json).toMatchObject({ code: 5000, ...ENVELOPE, message: 'the handler fell over' });
    });
  });

  describe('request bodies', () => {
    it('parses a JSON body and passes none for an empty one', async () => {
      const reply = await call('POST', '/api/v1/echo', { headers: json, body: '{"action":"kick","n":[1,2]}' });
      expect(reply.status).toBe(200);
      expect(reply.json.body).toEqual({ action: 'kick', n: [1, 2] });
      const empty = await call('POST', '/api/v1/echo', { headers: json });
      expect(empty.status).toBe(200);
      expect(empty.json.body).toBeNull();
      expect(seen[1].body).toBeUndefined();
    });

    it('answers 400 for a body that is not JSON', async () => {
      const reply = await call('POST', '/api/v1/echo', { headers: json, body: '{"action":' });
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ code: 4000, message: 'request body is not valid JSON' });
      expect(seen).toEqual([]);
    });

    it('answers 413 for a body over 1 MiB without calling the handler', async () => {
      const big = Buffer.alloc(1024 * 1024 + 10, 0x20);
      const reply = await call('POST', '/api/v1/echo', { headers: json, body: big });
      expect(reply.status).toBe(413);
      expect(reply.json).toMatchObject({ code: 4000, ...ENVELOPE, message: 'request body too large' });
      expect(seen).toEqual([]);
      // The listener is unharmed.
      expect((await call('GET', '/api/v1/versions')).status).toBe(200);
    });

    it('accepts a body of exactly 1 MiB', async () => {
      const text = JSON.stringify({ pad: 'x'.repeat(1024 * 1024 - 10) });
      expect(Buffer.byteLength(text)).toBe(1024 * 1024);
      const reply = await call('POST', '/api/v1/echo', { headers: json, body: text });
      expect(reply.status).toBe(200);
    });
  });

  describe('OriginPolicy', () => {
    it('refuses a request addressed to a name that is not this machine (DNS rebinding)', async () => {
      const reply = await call('GET', '/api/v1/versions', { headers: { Host: 'rebind.attacker.example:1985' } });
      expect(reply.status).toBe(403);
      expect(reply.json).toMatchObject({ code: 4003 });
      expect(reply.json.message).toContain('api.allowedHosts');
      allowedHosts = ['rebind.attacker.example'];
      expect(
        (await call('GET', '/api/v1/versions', { headers: { Host: 'rebind.attacker.example:1985' } })).status,
      ).toBe(200);
    });

    it('serves loopback names', async () => {
      for (const host of ['localhost:1985', `127.0.0.1:${port}`, '[::1]:1985', 'console.localhost']) {
        expect((await call('GET', '/api/v1/versions', { headers: { Host: host } })).status).toBe(200);
      }
    });

    it('lets reads from any page through but gives a foreign page no CORS headers to read them with', async () => {
      const reply = await call('GET', '/api/v1/versions', { headers: { Origin: 'https://evil.example' } });
      expect(reply.status).toBe(200);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('refuses a change from a foreign page, and from a cross-site page that sends no Origin', async () => {
      const foreign = await call('DELETE', '/api/v1/clients/abc', { headers: { Origin: 'https://evil.example' } });
      expect(foreign.status).toBe(403);
      expect(foreign.json).toMatchObject({ code: 4003 });
      expect(foreign.json.message).toContain('https://evil.example');
      const crossSite = await call('DELETE', '/api/v1/clients/abc', { headers: { 'Sec-Fetch-Site': 'cross-site' } });
      expect(crossSite.status).toBe(403);
      expect(seen).toEqual([]);
    });

    it('serves a change from an allowed origin with CORS headers for it', async () => {
      corsOrigins = ['https://console.example'];
      const reply = await call('DELETE', '/api/v1/clients/abc', { headers: { Origin: 'https://console.example' } });
      expect(reply.status).toBe(200);
      expect(reply.headers['access-control-allow-origin']).toBe('https://console.example');
      expect(reply.headers['access-control-allow-credentials']).toBe('true');
      expect(reply.headers.vary).toBe('Origin');
      expect(seen.map((r) => r.params.id)).toEqual(['abc']);
    });

    it('serves the console’s own origin without CORS headers', async () => {
      const reply = await call('DELETE', '/api/v1/clients/abc', { headers: { Origin: `http://127.0.0.1:${port}` } });
      expect(reply.status).toBe(200);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('answers 415 to a body a page could send cross-site without a preflight', async () => {
      corsOrigins = ['https://console.example'];
      for (const type of ['text/plain', 'application/x-www-form-urlencoded; charset=utf-8']) {
        const reply = await call('POST', '/api/v1/echo', {
          headers: { Origin: 'https://console.example', 'Content-Type': type },
          body: '{}',
        });
        expect(reply.status).toBe(415);
      }
      expect(seen).toEqual([]);
      const ok = await call('POST', '/api/v1/echo', {
        headers: { Origin: 'https://console.example', ...json },
        body: '{}',
      });
      expect(ok.status).toBe(200);
    });

    it('answers a preflight from an allowed origin with 204 and what it may send, and refuses others', async () => {
      corsOrigins = ['https://console.example'];
      const allowed = await call('OPTIONS', '/api/v1/clients/abc', { headers: { Origin: 'https://console.example' } });
      expect(allowed.status).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://console.example');
      expect(allowed.headers['access-control-allow-methods']).toContain('DELETE');
      expect(allowed.headers['access-control-allow-headers']).toContain('Authorization');
      const refused = await call('OPTIONS', '/api/v1/clients/abc', { headers: { Origin: 'https://evil.example' } });
      expect(refused.status).toBe(403);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      expect(refused.text).toContain('api.corsOrigins');
    });

    it('allows any origin when "*" is configured', async () => {
      corsOrigins = ['*'];
      const reply = await call('DELETE', '/api/v1/clients/x', { headers: { Origin: 'https://anything.example' } });
      expect(reply.status).toBe(200);
      expect(reply.headers['access-control-allow-origin']).toBe('https://anything.example');
    });
  });

  describe('the API token', () => {
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    it('answers 401 without the token, and serves Bearer and Basic (any user name) with it', async () => {
      token = 's3cret-token';
      const none = await call('GET', '/api/v1/versions');
      expect(none.status).toBe(401);
      expect(none.json).toMatchObject({ code: 4001, ...ENVELOPE });
      const auth = (value: string) => call('GET', '/api/v1/versions', { headers: { Authorization: value } });
      expect((await auth('Bearer s3cret-token')).status).toBe(200);
      expect((await auth('bearer s3cret-token')).status).toBe(200);
      expect((await auth(basic('admin', 's3cret-token'))).status).toBe(200);
      expect((await auth(basic('', 's3cret-token'))).status).toBe(200);
    });

    it('refuses a wrong token of any length, and the token in the user-name place', async () => {
      token = 's3cret-token';
      const auth = (value: string) => call('GET', '/api/v1/versions', { headers: { Authorization: value } });
      for (const value of [
        'Bearer s3cret-tokeN',
        'Bearer s3cret',
        'Bearer s3cret-token-and-more',
        'Bearer ',
        basic('s3cret-token', ''),
        basic('admin', 'nope'),
        `Basic ${Buffer.from('s3cret-token').toString('base64')}`,
        's3cret-token',
      ]) {
        const reply = await auth(value);
        expect(reply.status, value).toBe(401);
      }
    });

    it('applies a changed token at once', async () => {
      token = 'old';
      const auth = (value: string) => call('GET', '/api/v1/versions', { headers: { Authorization: value } });
      expect((await auth('Bearer old')).status).toBe(200);
      token = 'new';
      expect((await auth('Bearer old')).status).toBe(401);
      expect((await auth('Bearer new')).status).toBe(200);
    });

    it('with a token, any origin and Host may call with it (DNS rebinding gains nothing without the token)', async () => {
      token = 't';
      const headers = { Host: 'media.example.net', Origin: 'https://other.example', Authorization: 'Bearer t' };
      const reply = await call('DELETE', '/api/v1/clients/z', { headers });
      expect(reply.status).toBe(200);
      expect(reply.headers['access-control-allow-origin']).toBe('https://other.example');
      const without = await call('DELETE', '/api/v1/clients/z', { headers: { ...headers, Authorization: '' } });
      expect(without.status).toBe(401);
      // An error reply still carries the CORS headers, so the console can show why.
      expect(without.headers['access-control-allow-origin']).toBe('https://other.example');
    });
  });
});
