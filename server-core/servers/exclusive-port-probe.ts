import { createSocket, type SocketType } from 'node:dgram';

/**
 * For a UDP listener that binds with SO_REUSEADDR so per-peer sockets can share its port (WebRTC send workers,
 * SRT connections on Linux): an exclusive bind first, which fails with EADDRINUSE when anything else holds the
 * port (SO_REUSEADDR alone would let two servers share it silently). Returns the port that bind got (the
 * kernel's pick for 0), closed again. waitMs: keep trying this long while the port is taken, for a restart whose
 * previous per-peer sockets are still closing.
 */
export async function probeExclusivePort(type: SocketType, host: string, port: number, waitMs = 0): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await probeOnce(type, host, port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

const RETRY_MS = 100;

async function probeOnce(type: SocketType, host: string, port: number): Promise<number> {
  const probe = createSocket({ type, reuseAddr: false });
  try {
    return await new Promise<number>((resolve, reject) => {
      probe.once('error', reject);
      probe.bind(port, host, () => resolve(probe.address().port));
    });
  } finally {
    await new Promise<void>((resolve) => {
      try {
        probe.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}
