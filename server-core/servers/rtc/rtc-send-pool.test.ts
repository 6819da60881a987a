import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { RtcSendPool } from './rtc-send-pool.js';
import { SRTP_AES128_CM_HMAC_SHA1_80, SrtpContext } from './srtp-context.js';

const WORKER = new URL('./rtc-send-worker.ts', import.meta.url);
const sockets: Socket[] = [];
let pool: RtcSendPool | undefined;

afterEach(() => {
  pool?.close();
  pool = undefined;
  for (const s of sockets.splice(0)) s.close();
});

async function bound(reuseAddr: boolean, port = 0): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', reuseAddr });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve());
  });
  return socket;
}

function rtpHeader(seq: number): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = 96;
  h.writeUInt16BE(seq, 2);
  h.writeUInt32BE(seq * 3000, 4);
  h.writeUInt32BE(0x01020304, 8);
  return h;
}

const until = async <T>(what: string, check: () => T | undefined, ms = 5000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.skipIf(process.platform !== 'linux')('RtcSendPool (a real worker thread and loopback sockets)', () => {
  it('sends SRTP the viewer decrypts, from the server port, and hands back what the viewer sends', async () => {
    const server = await bound(true);
    const serverPort = server.address().port;
    const viewer = await bound(false);
    const key = randomBytes(16);
    const salt = randomBytes(14);
    const received: { data: Buffer; port: number }[] = [];
    viewer.on('message', (data, rinfo) => received.push({ data, port: rinfo.port }));
    const handedBack: { data: string; address: string; port: number }[] = [];
    pool = new RtcSendPool({
      workers: 2,
      script: WORKER,
      localHost: '127.0.0.1',
      localPort: serverPort,
      receive: (data, address, port) => handedBack.push({ data: data.toString(), address, port }),
    });
    let fellBack = false;
    const sender = pool.attach(
      { profile: SRTP_AES128_CM_HMAC_SHA1_80, key, salt },
      '127.0.0.1',
      viewer.address().port,
      () => {
        fellBack = true;
      },
    );
    // One shared payload for several packets (the batch stores it once).
    const payload = randomBytes(1100);
    for (let seq = 65534; seq < 65534 + 6; seq++) sender.sendRtp(rtpHeader(seq & 0xffff), payload);
    await until('six packets', () => (received.length >= 6 ? true : undefined));
    const rx = new SrtpContext(SRTP_AES128_CM_HMAC_SHA1_80, key, salt);
    for (const [i, r] of received.entries()) {
      expect(r.port).toBe(serverPort);
      const plain = rx.unprotectRtp(r.data);
      expect(plain.readUInt16BE(2)).toBe((65534 + i) & 0xffff);
      expect(plain.subarray(12).equals(payload)).toBe(true);
    }
    expect(pool.workers).toBe(1);
    await until('the backlog drained', () => (sender.pendingBytes() === 0 ? true : undefined));
    viewer.send('consent check', serverPort, '127.0.0.1');
    const back = await until('the datagram handed back', () => handedBack[0]);
    expect(back).toEqual({ data: 'consent check', address: '127.0.0.1', port: viewer.address().port });
    expect(fellBack).toBe(false);
    sender.close();
  });

  it("counts a viewer's bytes as pending until the worker has sent their batch, batch after batch", async () => {
    const server = await bound(true);
    const viewer = await bound(false);
    viewer.setRecvBufferSize(4 * 1024 * 1024);
    let got = 0;
    viewer.on('message', () => got++);
    pool = new RtcSendPool({
      workers: 1,
      script: WORKER,
      localHost: '127.0.0.1',
      localPort: server.address().port,
      receive: () => {},
    });
    const sender = pool.attach(
      { profile: SRTP_AES128_CM_HMAC_SHA1_80, key: randomBytes(16), salt: randomBytes(14) },
      '127.0.0.1',
      viewer.address().port,
      () => {},
    );
    const payload = randomBytes(1100);
    let seq = 0;
    for (let batch = 1; batch <= 3; batch++) {
      // A batch big enough that the worker is still on it when we look (it is sent as soon as this turn ends).
      for (let i = 0; i < 1500; i++) sender.sendRtp(rtpHeader(seq++ & 0xffff), payload);
      await Promise.resolve();
      expect(sender.pendingBytes()).toBeGreaterThan(0);
      await until(`batch ${batch} sent`, () => (sender.pendingBytes() === 0 ? true : undefined));
    }
    await until('every packet', () => (got >= 4000 ? true : undefined));
    sender.close();
  });

  it('falls back to the main thread when the worker cannot bind the port', async () => {
    // A socket without SO_REUSEADDR on the port: the worker's bind fails.
    const server = await bound(false);
    pool = new RtcSendPool({
      workers: 1,
      script: WORKER,
      localHost: '127.0.0.1',
      localPort: server.address().port,
      receive: () => {},
    });
    let fellBack = false;
    pool.attach(
      { profile: SRTP_AES128_CM_HMAC_SHA1_80, key: randomBytes(16), salt: randomBytes(14) },
      '127.0.0.1',
      9,
      () => {
        fellBack = true;
      },
    );
    await until('the fallback', () => (fellBack ? true : undefined));
  });
});
