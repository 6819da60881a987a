import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AVC_RECORD } from '../../server-core/hub/test-support.js';
import { encodeMessageChunks } from '../../server-core/protocol/rtmp/chunk-writer.js';
import { command } from '../../server-core/protocol/rtmp/commands.js';
import { RtmpClientHandshake } from '../../server-core/protocol/rtmp/handshake.js';
import { TestRtmpClient } from './support/rtmp-client.js';
import { type RunningServer, startTestServer, waitFor } from './support/test-server.js';

const DEADLINE_MS = 3000;
const PRE_ADMISSION_TOTAL = 512 * 1024;

/** A raw connection that completes the handshake and sends connect; the test decides what it does next. */
async function connectedSocket(port: number): Promise<{ socket: Socket; closed: Promise<number> }> {
  const socket = connect(port, '127.0.0.1');
  const openedAt = Date.now();
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - openedAt)));
  socket.on('error', () => {});
  const handshake = new RtmpClientHandshake();
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  socket.write(handshake.start(0));
  await new Promise<void>((resolve) => {
    const onData = (bytes: Buffer) => {
      const step = handshake.push(bytes);
      if (!step.done) return;
      socket.off('data', onData);
      socket.write(Buffer.concat(step.send));
      resolve();
    };
    socket.on('data', onData);
  });
  socket.resume();
  socket.write(encodeMessageChunks(command('connect', 1, { app: 'live', tcUrl: 'rtmp://127.0.0.1/live' }), 128, 3));
  return { socket, closed };
}

describe('RTMP session rules', () => {
  let env: RunningServer;
  const source = (name: string) => env.server.registry.list().find((s) => s.key.stream === name);

  beforeAll(async () => {
    env = await startTestServer('rtmp-session-rules', {
      rtmp: { handshakeTimeoutMs: DEADLINE_MS, preAdmissionTotalBytes: PRE_ADMISSION_TOTAL },
    });
  });

  afterAll(async () => {
    await env?.close();
  });

  it('refuses a second publish on one connection and leaves nothing behind', async () => {
    const client = new TestRtmpClient(env.rtmpUrl('/live/first'), 'publish');
    await client.open();
    client.send(9, 0, Buffer.concat([Buffer.from('1700000000', 'hex'), AVC_RECORD]));
    client.command('publish', ['second', 'live'], 2);
    await waitFor(() => client.statuses.includes('NetStream.Publish.BadName'), 5000, 'the refusal status');
    expect(source('second')).toBeUndefined();
    expect(source('first')).toBeDefined();
    // The first publish is still whole: kickable through the API, and gone with its connection.
    const cid = source('first')?.publisher.cid;
    const kick = await fetch(env.apiUrl(`/api/v1/clients/${cid}`), { method: 'DELETE' });
    expect(kick.status).toBe(200);
    await waitFor(() => source('first') === undefined, 5000, 'the kicked publisher to be gone');
    // Both names publish again at once.
    for (const name of ['first', 'second']) {
      const again = new TestRtmpClient(env.rtmpUrl(`/live/${name}`), 'publish');
      await again.open();
      again.close();
    }
  });

  it('refuses a second play on one connection without a ghost reader', async () => {
    const publisher = new TestRtmpClient(env.rtmpUrl('/live/watched'), 'publish');
    await publisher.open();
    const player = new TestRtmpClient(env.rtmpUrl('/live/watched'), 'play');
    await player.open();
    await waitFor(() => source('watched')?.readers().length === 1, 5000, 'the player');
    player.command('play', ['watched'], 2);
    await waitFor(() => player.statuses.includes('NetStream.Play.Failed'), 5000, 'the refusal status');
    expect(source('watched')?.readers()).toHaveLength(1);
    player.close();
    await waitFor(() => source('watched')?.readers().length === 0, 5000, 'no reader left after the player left');
    publisher.close();
  });

  it('closes a connection that trickles bytes at its deadline, not at an idle timeout', async () => {
    const socket = connect(env.server.rtmp?.port ?? 0, '127.0.0.1');
    socket.on('error', () => {});
    const openedAt = Date.now();
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - openedAt)));
    socket.write(Buffer.from([3]));
    const trickle = setInterval(() => socket.write(Buffer.from([0])), 200);
    const after = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), DEADLINE_MS * 4))]);
    clearInterval(trickle);
    socket.destroy();
    expect(after, 'closed by the server').toBeGreaterThan(0);
    expect(after).toBeGreaterThanOrEqual(DEADLINE_MS - 100);
    expect(after).toBeLessThan(DEADLINE_MS * 3);
  });

  it('closes a connection that only sends pings after connect at its deadline', async () => {
    const { socket, closed } = await connectedSocket(env.server.rtmp?.port ?? 0);
    const ping = () => {
      const payload = Buffer.alloc(6);
      payload.writeUInt16BE(6, 0); // ping request
      socket.write(encodeMessageChunks({ typeId: 4, streamId: 0, timestamp: 0, payload }, 128, 2));
    };
    const pinger = setInterval(ping, 200);
    const after = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), DEADLINE_MS * 4))]);
    clearInterval(pinger);
    socket.destroy();
    expect(after, 'closed by the server').toBeGreaterThan(0);
    expect(after).toBeLessThan(DEADLINE_MS * 3);
  });

  it('refuses a message bigger than the pre-admission limit as soon as its header arrives', async () => {
    const { socket, closed } = await connectedSocket(env.server.rtmp?.port ?? 0);
    // The header of a 16 MB video message and its first 4 KB, before any publish.
    const big = encodeMessageChunks(
      { typeId: 9, streamId: 1, timestamp: 0, payload: Buffer.alloc(16 * 1024 * 1024 - 1) },
      128,
      6,
    );
    socket.write(big.subarray(0, 4096));
    const after = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), DEADLINE_MS / 2))]);
    socket.destroy();
    expect(after, 'closed well before the deadline').toBeGreaterThan(0);
  });

  it('caps what not-yet-admitted connections hold together, and gives it all back when they go', async () => {
    const port = env.server.rtmp?.port ?? 0;
    const connections = await Promise.all(Array.from({ length: 40 }, () => connectedSocket(port)));
    // Each sends 60 KB of a 64 KB message (just under the per-connection limit) and holds it unfinished.
    const partial = encodeMessageChunks(
      { typeId: 9, streamId: 1, timestamp: 0, payload: Buffer.alloc(64 * 1024 - 100) },
      128,
      6,
    );
    for (const c of connections) c.socket.write(partial.subarray(0, 60 * 1024));
    let closedByServer = 0;
    for (const c of connections) void c.closed.then(() => closedByServer++);
    // Together they would hold 2.4 MB: the server closes connections once the shared cap is reached.
    await waitFor(() => closedByServer > 0, 10_000, 'connections closed for passing the shared cap');
    expect(env.server.rtmp?.preAdmissionBytes ?? 0).toBeLessThanOrEqual(PRE_ADMISSION_TOTAL);
    await waitFor(() => (env.server.rtmp?.preAdmissionBytes ?? 0) > PRE_ADMISSION_TOTAL / 2, 10_000, 'bytes held');
    expect(env.server.rtmp?.preAdmissionBytes ?? 0).toBeLessThanOrEqual(PRE_ADMISSION_TOTAL);
    for (const c of connections) c.socket.destroy();
    await Promise.all(connections.map((c) => c.closed));
    await waitFor(() => env.server.rtmp?.preAdmissionBytes === 0, 5000, 'every byte given back');
    // And a real publish still works.
    const client = new TestRtmpClient(env.rtmpUrl('/live/after-abuse'), 'publish');
    await client.open();
    client.close();
  });
});
