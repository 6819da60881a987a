import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RtmpClient } from './rtmp-client.js';

/** A loopback TCP server that accepts and then does what the test says (nothing, or close at once). */
async function listenLoopback(
  onSocket: (socket: Socket) => void,
  track: Socket[],
): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    track.push(socket);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

describe('RtmpClient over a socket', () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    servers.length = 0;
    sockets.length = 0;
  });

  it('gives up at its deadline on a server that never answers the handshake', async () => {
    const { server, port } = await listenLoopback(() => {}, sockets);
    servers.push(server);
    let closes = 0;
    const client = new RtmpClient({
      url: `rtmp://127.0.0.1:${port}/live/s`,
      mode: 'publish',
      connectTimeoutMs: 300,
      onClose: () => closes++,
    });
    await expect(client.open()).rejects.toThrow(/no publish start within 300 ms/);
    expect(client.isClosed).toBe(true);
    // A failed open is reported once, by the rejection; onClose is for connections that had started.
    await new Promise((r) => setTimeout(r, 50));
    expect(closes).toBe(0);
  });

  it('rejects when the server closes the connection during the handshake', async () => {
    const { server, port } = await listenLoopback((socket) => socket.destroy(), sockets);
    servers.push(server);
    const client = new RtmpClient({ url: `rtmp://127.0.0.1:${port}/live/s`, mode: 'play', connectTimeoutMs: 5000 });
    await expect(client.open()).rejects.toThrow(/closed|reset/);
  });

  it('speaks TLS to rtmps:// URLs: a plain TCP peer fails the handshake', async () => {
    const { server, port } = await listenLoopback((socket) => socket.end('not tls at all\\r\\n'), sockets);
    servers.push(server);
    const client = new RtmpClient({ url: `rtmps://127.0.0.1:${port}/live/s`, mode: 'publish', connectTimeoutMs: 5000 });
    await expect(client.open()).rejects.toThrow();
  });
});
