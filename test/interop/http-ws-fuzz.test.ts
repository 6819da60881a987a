import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pseudoRandom } from './support/pseudo-random.js';
import { TestRtmpClient } from './support/rtmp-client.js';
import { type RunningServer, startTestServer, waitFor } from './support/test-server.js';

/** Writes raw bytes to a port and resolves with what came back once the server closes (or after holdMs). */
function rawExchange(port: number, bytes: Buffer, holdMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.setEncoding('latin1');
    let answered = false;
    socket.on('data', (d: string) => {
      reply += d;
      // An answer came: give the rest of it a moment, then stop waiting for a keep-alive close.
      if (!answered) setTimeout(() => socket.destroy(), 200);
      answered = true;
    });
    socket.on('error', () => {});
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(reply);
    }, holdMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(reply);
    });
  });
}

const REQUESTS = [
  'GET /live/%E0%A4%A.flv HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET //live/x.flv HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET http://[::1/ HTTP/1.1\r\nHost: x\r\n\r\n',
  `GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  'GET /live/x.flv HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n',
  'POST /api/v1/dvr HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello',
  'POST /api/v1/dvr HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
  'POST /api/v1/dvr HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"app":[}',
  'BREW /live/x.flv HTCPCP/1.0\r\n\r\n',
  'GET /live/x.flv\r\n\r\n',
  'GET /live/x.flv HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n',
  'GET /live/x.flv HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: !!\r\nSec-WebSocket-Version: 99\r\n\r\n',
  'GET /console/events HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: tally.token.%%%\r\n\r\n',
  'GET /api/v1/streams/%00%ff HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  'GET /api/v1/logs?limit=1e400&since=NaN HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic ####\r\n\r\n',
  'GET /api/v1/versions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic\r\n\r\n',
];

/** A WebSocket upgrade followed by frames the test makes up (unmasked, bad opcodes, huge lengths...). */
function upgradeThen(path: string, frames: Buffer): Buffer {
  const head =
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: tally.v1\r\n\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), frames]);
}

const FRAMES = [
  Buffer.from([0x81, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]), // unmasked text from a client
  Buffer.from([0x8f, 0x80, 0, 0, 0, 0]), // reserved opcode
  Buffer.from([0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]), // 2^63 length
  Buffer.from([0x09, 0x80, 0, 0, 0, 0]), // fragmented ping
  Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe7]), // close with code 999
  Buffer.from([0xf1, 0x80, 0, 0, 0, 0]), // RSV bits set
  Buffer.concat([Buffer.from([0x81, 0xfe, 0xff, 0xff, 1, 2, 3, 4]), pseudoRandom(9, 65_535)]), // 64 KB masked text
];

describe('malformed HTTP and WebSocket input never takes a listener down', () => {
  let env: RunningServer;
  let publisher: TestRtmpClient;
  const ports = () => ({ media: env.server.http?.port ?? 0, api: env.server.apiHttp?.port ?? 0 });

  beforeAll(async () => {
    env = await startTestServer('http-ws-fuzz', { http: { headersTimeoutMs: 2000 } });
    publisher = new TestRtmpClient(env.rtmpUrl('/live/x'), 'publish');
    await publisher.open();
    await waitFor(() => env.server.registry.list().length === 1, 5000, 'publish');
  });

  afterAll(async () => {
    publisher?.close();
    await env?.close();
  });

  const stillServing = async () => {
    const versions = await fetch(env.apiUrl('/api/v1/versions'));
    expect(versions.status).toBe(200);
    const missing = await fetch(env.httpUrl('/live/none.flv'));
    expect(missing.status).toBe(404);
  };

  for (const [i, request] of REQUESTS.entries()) {
    it(`answers or closes malformed request ${i} on both listeners`, async () => {
      for (const port of [ports().media, ports().api]) {
        const reply = await rawExchange(port, Buffer.from(request, 'latin1'), 2500);
        // Either a status line (4xx/5xx other than 500) or a closed connection; never an internal error.
        expect(reply).not.toMatch(/^HTTP\/1\.1 500/);
      }
      await stillServing();
    });
  }

  it('survives random bytes in place of a request', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      await rawExchange(seed % 2 ? ports().media : ports().api, pseudoRandom(seed, 64 + seed * 97), 500);
    }
    await stillServing();
  });

  for (const [i, frames] of FRAMES.entries()) {
    it(`closes a WebSocket that sends bad frame ${i}, on WS-FLV and the console events`, async () => {
      await rawExchange(ports().media, upgradeThen('/live/x.flv', frames), 1500);
      await rawExchange(ports().api, upgradeThen('/console/events', frames), 1500);
      await stillServing();
    });
  }
});
