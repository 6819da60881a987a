import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SrtConnectionStats } from '../../server-core/servers/srt/srt-connection-stats.js';
import { onJsonLines } from './support/json-lines.js';
import { stopServerAndNamespace } from './support/netns-teardown.js';
import { runProcess } from './support/run-process.js';
import { ensureSample } from './support/sample-media.js';
import { waitFor } from './support/test-server.js';

/**
 * SRT over a lossy link: the server and the peers run in a network namespace of their own whose nftables drop 5 %
 * of the UDP datagrams to and from the SRT port (the kernel has no netem). Retransmissions must recover every
 * packet at 200 ms latency: the decoders run with -xerror, so one lost frame fails the test.
 */
const NS = `tally-srt-loss-${process.pid}`;
const LOSS_PERCENT = 5;
const ns = (...args: string[]) => spawnSync('ip', ['netns', 'exec', NS, ...args]);
const canNetns =
  process.getuid?.() === 0 &&
  spawnSync('ip', ['netns', 'list']).status === 0 &&
  spawnSync('nft', ['--version']).status === 0 &&
  spawnSync('ffmpeg', ['-version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'tally-srt-loss-'));

interface Ports {
  srt: number;
  http: number;
  rtmp: number;
}

/** ffmpeg inside the namespace, decoding `seconds` of a URL; returns the video frames it got. */
async function decodeInNs(url: string, seconds: number): Promise<{ code: number | null; frames: number; err: string }> {
  // biome-ignore format: ffmpeg arguments read best as flag/value pairs
  const args = [
    'netns', 'exec', NS, 'ffmpeg', '-hide_banner', '-nostats', '-xerror', '-i', url, '-t', String(seconds),
    '-map', '0:v:0', '-f', 'null', '-progress', 'pipe:1', '-',
  ];
  const r = await runProcess('ip', args, (seconds + 20) * 1000);
  const frames = [...r.stdout.matchAll(/^frame=(\d+)/gm)].map((m) => Number(m[1]));
  return { code: r.code, frames: frames.at(-1) ?? 0, err: r.stderr.slice(-2000) };
}

describe.skipIf(!canNetns)('SRT with 5 % loss each way (nftables in a network namespace)', () => {
  let server: ChildProcess;
  let ports: Ports;
  let stats: SrtConnectionStats[] = [];
  /** The last stats of every connection seen, closed ones included. */
  const seen = new Map<string, SrtConnectionStats>();
  const peers: ChildProcess[] = [];

  beforeAll(async () => {
    const sample = await ensureSample();
    expect(spawnSync('ip', ['netns', 'add', NS]).status).toBe(0);
    ns('ip', 'link', 'set', 'lo', 'up');
    // The server prints its ports, then its SRT connection stats twice a second; it leaves when stdin closes.
    const script = join(dir, 'server.mts');
    const support = join(process.cwd(), 'test', 'interop', 'support', 'test-server.ts');
    writeFileSync(
      script,
      [
        `import { startTestServer } from ${JSON.stringify(support)};`,
        `const env = await startTestServer('srt-loss', { srt: { host: '127.0.0.1', port: 0, latencyMs: 200 } });`,
        'const s = env.server;',
        'console.log(JSON.stringify({ ports: { srt: s.srt?.port, http: s.http?.port, rtmp: s.rtmp?.port } }));',
        'setInterval(() => console.log(JSON.stringify({ stats: s.srt?.allConnectionStats() })), 500);',
        'process.stdin.resume();',
        "process.stdin.on('end', () => env.close().then(() => process.exit(0)));",
      ].join('\n'),
    );
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    server = spawn('ip', ['netns', 'exec', NS, tsx, script], { stdio: ['pipe', 'pipe', 'inherit'] });
    onJsonLines<{ ports?: Ports; stats?: SrtConnectionStats[] }>(server.stdout, (msg) => {
      if (msg.ports) ports = msg.ports;
      if (msg.stats) stats = msg.stats;
      for (const c of msg.stats ?? []) seen.set(c.cid, c);
    });
    await waitFor(() => ports !== undefined, 20_000, 'the server in the namespace');
    const nft = (...args: string[]) => expect(ns('nft', ...args).status, `nft ${args.join(' ')}`).toBe(0);
    nft('add', 'table', 'inet', 'loss');
    nft('add', 'chain', 'inet', 'loss', 'out', '{ type filter hook output priority 0; }');
    // Datagrams to the SRT port (publisher data, player ACKs/NAKs) and from it (our ACKs/NAKs, player data).
    for (const direction of ['dport', 'sport']) {
      // biome-ignore format: an nft rule reads best on one line
      nft('add', 'rule', 'inet', 'loss', 'out', 'udp', direction, String(ports.srt), 'numgen', 'random', 'mod', '100', '<', String(LOSS_PERCENT), 'counter', 'drop');
    }
    const url = `srt://127.0.0.1:${ports.srt}?latency=200000&streamid=#!::r=live/lossy,m=publish`;
    // biome-ignore format: ffmpeg arguments read best as flag/value pairs
    const args = [
      'netns', 'exec', NS, 'ffmpeg', '-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', sample,
      '-c', 'copy', '-f', 'mpegts', url,
    ];
    peers.push(spawn('ip', args, { stdio: 'ignore' }));
    await waitFor(() => stats.some((s) => s.role === 'publish' && s.bytes > 0), 15_000, 'the publisher');
  });

  afterAll(async () => {
    for (const p of peers) p.kill('SIGKILL');
    await stopServerAndNamespace(server, NS);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a publisher loses nothing: HTTP-FLV decodes every frame, and retransmissions did it', async () => {
    const result = await decodeInNs(`http://127.0.0.1:${ports.http}/live/lossy.flv`, 5);
    expect(result.code, result.err).toBe(0);
    expect(result.frames).toBeGreaterThanOrEqual(140);
    const publish = stats.find((s) => s.role === 'publish');
    expect(publish?.lossReports).toBeGreaterThan(0);
    expect(publish?.retransmits).toBeGreaterThan(0);
    expect(publish?.dropped).toBe(0);
  });

  it('a player loses nothing: ffmpeg decodes every frame over SRT, and we retransmitted', async () => {
    const result = await decodeInNs(
      `srt://127.0.0.1:${ports.srt}?latency=200000&streamid=#!::r=live/lossy,m=request`,
      5,
    );
    expect(result.code, result.err).toBe(0);
    expect(result.frames).toBeGreaterThanOrEqual(140);
    // The stats line of the last half second before the player left.
    await new Promise((r) => setTimeout(r, 600));
    const play = [...seen.values()].find((s) => s.role === 'play');
    expect(play?.lossReports).toBeGreaterThan(0);
    expect(play?.retransmits).toBeGreaterThan(0);
  });
});
