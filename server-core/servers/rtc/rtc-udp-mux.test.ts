import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { RtcOwnerTable } from './rtc-path.js';
import { RtcUdpMux } from './rtc-udp-mux.js';

const open: { close(): void }[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

async function holder(port: number, reuseAddr: boolean): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', reuseAddr });
  open.push(socket);
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', () => resolve()));
  return socket;
}

describe('RtcUdpMux, shareable with send workers', () => {
  it('refuses a port another program holds, even one bound with SO_REUSEADDR', async () => {
    const other = await holder(0, true);
    const mux = new RtcUdpMux({
      host: '127.0.0.1',
      port: other.address().port,
      owners: new RtcOwnerTable(),
      shareable: true,
    });
    await expect(mux.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('takes the port once the previous send workers let it go, and lets a worker socket share it', async () => {
    const previous = await holder(0, true);
    const port = previous.address().port;
    setTimeout(() => previous.close(), 300);
    open.splice(open.indexOf(previous), 1);
    const mux = new RtcUdpMux({ host: '127.0.0.1', port, owners: new RtcOwnerTable(), shareable: true });
    await mux.start();
    open.push(mux);
    expect(mux.address().port).toBe(port);
    // A send worker's per-viewer socket binds the same port.
    const worker = await holder(port, true);
    expect(worker.address().port).toBe(port);
  });
});
