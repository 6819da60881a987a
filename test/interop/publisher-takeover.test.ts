import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode } from './support/ffmpeg.js';
import { type RunningProcess, startProcess } from './support/run-process.js';
import { ensureSample } from './support/sample-media.js';
import { type RunningServer, startTestServer, waitFor } from './support/test-server.js';

/**
 * An SRT encoder whose process dies (or whose network changes) sends no shutdown: its connection would hold the
 * stream until the peer idle timeout. Its reconnect must get the stream once the old one has been silent for
 * hub.publisherTakeoverMs, and a player that stayed must get the new media.
 */
const TAKEOVER_MS = 1000;
/** Far longer than the test: only the takeover can hand the stream over in time. */
const PEER_IDLE_MS = 120_000;

interface ClientRow {
  id: string;
  name: string;
  publish: boolean;
}

describe('a silent publisher loses its stream to its reconnect', () => {
  let env: RunningServer;
  let sample: string;
  const publishers: RunningProcess[] = [];

  beforeAll(async () => {
    sample = await ensureSample();
    env = await startTestServer('publisher-takeover', {
      srt: { peerIdleTimeoutMs: PEER_IDLE_MS },
      hub: { publisherTakeoverMs: TAKEOVER_MS },
    });
  });

  afterAll(async () => {
    for (const p of publishers) p.child.kill('SIGKILL');
    await env?.close();
  });

  const url = () => `srt://127.0.0.1:${env.server.srt?.port}?streamid=#!::r=live/blip,m=publish`;
  const startPublisher = () => {
    // biome-ignore format: ffmpeg arguments read best as flag/value pairs
    const p = startProcess('ffmpeg', [
      '-hide_banner', '-loglevel', 'warning', '-re', '-stream_loop', '-1', '-i', sample,
      '-c', 'copy', '-f', 'mpegts', url(),
    ]);
    publishers.push(p);
    return p;
  };
  const publisherCid = async (): Promise<string | undefined> => {
    const body = (await (await fetch(env.apiUrl('/api/v1/clients'))).json()) as { clients: ClientRow[] };
    return body.clients.find((c) => c.publish && c.name === 'blip')?.id;
  };

  it('an SRT publisher killed without a shutdown is replaced by the next one; a waiting player gets its media', async () => {
    const first = startPublisher();
    let firstCid: string | undefined;
    for (let i = 0; i < 150 && !firstCid; i++) {
      firstCid = await publisherCid();
      if (!firstCid) await new Promise((r) => setTimeout(r, 100));
    }
    expect(firstCid).toBeDefined();
    // A player that stays through the change: it must keep receiving.
    const player = await fetch(env.httpUrl('/live/blip.flv'));
    expect(player.status).toBe(200);
    const reader = player.body?.getReader();
    let received = 0;
    const reading = (async () => {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return;
        received += chunk.value.byteLength;
      }
    })();

    first.child.kill('SIGKILL');
    // The encoder comes back at once and, refused while the old connection still counts as live, retries as OBS
    // does (every half second here).
    let second: RunningProcess | undefined;
    let secondCid: string | undefined;
    for (let attempt = 0; attempt < 40 && !secondCid; attempt++) {
      if (!second || second.child.exitCode !== null) second = startPublisher();
      await new Promise((r) => setTimeout(r, 500));
      const cid = await publisherCid();
      if (cid && cid !== firstCid) secondCid = cid;
    }
    expect(secondCid, 'a new publisher within 20 s (the old connection would hold it 120 s)').toBeDefined();
    expect(env.server.srt?.allConnectionStats().filter((s) => s.role === 'publish')).toHaveLength(1);

    const before = received;
    await waitFor(() => received > before + 100_000, 15_000, 'the waiting player to get the new publisher media');
    const fresh = await decode(env.httpUrl('/live/blip.flv'), 3);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.videoFrames).toBeGreaterThanOrEqual(40);
    await reader?.cancel();
    await reading;
  });
});
