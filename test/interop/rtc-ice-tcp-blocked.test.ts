import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeStream } from './support/ffmpeg.js';
import { onJsonLines } from './support/json-lines.js';
import { stopServerAndNamespace } from './support/netns-teardown.js';
import { type RunningProcess, runProcess, startProcess } from './support/run-process.js';
import { ensureSample } from './support/sample-media.js';
import { pollFor, waitFor } from './support/test-server.js';

/**
 * ICE-TCP when UDP is really blocked: the server, the RTMP publisher, Chromium and ffprobe all run in a network
 * namespace of their own whose nftables drop every UDP packet. The server still offers its UDP candidate; a
 * viewer and a publisher must connect over the TCP one, and the drop counter shows the UDP checks were tried.
 */
const NS = `tally-ice-tcp-${process.pid}`;
const ns = (...args: string[]) => spawnSync('ip', ['netns', 'exec', NS, ...args], { encoding: 'utf8' });
const canNetns =
  process.getuid?.() === 0 &&
  existsSync('/usr/bin/chromium') &&
  spawnSync('ip', ['netns', 'list']).status === 0 &&
  spawnSync('nft', ['--version']).status === 0 &&
  spawnSync('ffmpeg', ['-version']).status === 0;

interface Ports {
  rtmp: number;
  http: number;
  api: number;
  rtc: number;
}

interface PeerStats {
  connectionState: string;
  framesDecoded: number;
  framesSent: number;
  localProtocol?: string;
  remoteProtocol?: string;
  remotePort?: number;
}

/** UDP packets the namespace's nftables dropped so far. */
function droppedUdp(): number {
  const listed = ns('nft', 'list', 'chain', 'inet', 'no-udp', 'out');
  const match = /counter packets (\d+)/.exec(listed.stdout);
  if (!match) throw new Error(`no counter in: ${listed.stdout} ${listed.stderr}`);
  return Number(match[1]);
}

/** The page side: an RTCPeerConnection that publishes (fake camera) or plays, signalled by a WHIP/WHEP POST. */
async function openPeer(page: Page, endpoint: string, role: 'whip' | 'whep'): Promise<{ status: number; sdp: string }> {
  return page.evaluate(
    async ({ endpoint, role }) => {
      const pc = new RTCPeerConnection({ iceServers: [] });
      if (role === 'whip') {
        const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 } });
        for (const t of stream.getTracks()) pc.addTransceiver(t, { direction: 'sendonly', streams: [stream] });
      } else {
        pc.addTransceiver('video', { direction: 'recvonly' });
        pc.addTransceiver('audio', { direction: 'recvonly' });
      }
      await pc.setLocalDescription(await pc.createOffer());
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp' },
        body: pc.localDescription?.sdp,
      });
      const sdp = await response.text();
      if (response.status === 201) await pc.setRemoteDescription({ type: 'answer', sdp });
      else pc.close();
      (window as unknown as { pc: RTCPeerConnection }).pc = pc;
      return { status: response.status, sdp };
    },
    { endpoint, role },
  );
}

async function peerStats(page: Page): Promise<PeerStats> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { pc: RTCPeerConnection }).pc;
    const report = await pc.getStats();
    const out: PeerStats = { connectionState: pc.connectionState, framesDecoded: 0, framesSent: 0 };
    report.forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') out.framesDecoded = r.framesDecoded ?? 0;
      if (r.type === 'outbound-rtp' && r.kind === 'video') out.framesSent = r.framesSent ?? 0;
      if (r.type === 'transport' && r.selectedCandidatePairId) {
        const pair = report.get(r.selectedCandidatePairId);
        const local = pair && report.get(pair.localCandidateId);
        const remote = pair && report.get(pair.remoteCandidateId);
        out.localProtocol = local?.protocol;
        out.remoteProtocol = remote?.protocol;
        out.remotePort = remote?.port;
      }
    });
    return out;
  });
}

/** The answer's ICE candidates by transport, as "udp 127.0.0.1 port" lines. */
function answerCandidates(sdp: string): string[] {
  return [...sdp.matchAll(/^a=candidate:\S+ \d+ (\S+) \d+ (\S+) (\d+)/gm)].map((m) =>
    [m[1].toLowerCase(), m[2], m[3]].join(' '),
  );
}

describe.skipIf(!canNetns)('ICE-TCP with all UDP dropped (nftables in a network namespace)', () => {
  let server: ChildProcess;
  let ports: Ports;
  let rtmp: RunningProcess | undefined;
  let browser: Browser;
  let dir = '';

  /** A blank page on the API origin (served by the browser itself): a secure context whose fetches are same-origin. */
  async function blankPage(): Promise<Page> {
    const page = await browser.newPage();
    const url = `http://127.0.0.1:${ports.api}/ice-tcp-test`;
    await page.route(url, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>t</title>' }),
    );
    await page.goto(url);
    return page;
  }

  beforeAll(async () => {
    const sample = await ensureSample();
    dir = mkdtempSync(join(tmpdir(), 'tally-ice-tcp-'));
    expect(spawnSync('ip', ['netns', 'add', NS]).status).toBe(0);
    ns('ip', 'link', 'set', 'lo', 'up');
    // Every UDP packet leaving anything in the namespace (loopback included) is counted and dropped.
    const nft = (...args: string[]) => expect(ns('nft', ...args).status, `nft ${args.join(' ')}`).toBe(0);
    nft('add', 'table', 'inet', 'no-udp');
    nft('add', 'chain', 'inet', 'no-udp', 'out', '{ type filter hook output priority 0; }');
    nft('add', 'rule', 'inet', 'no-udp', 'out', 'meta', 'l4proto', 'udp', 'counter', 'drop');

    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const script = join(process.cwd(), 'test', 'interop', 'support', 'server-in-netns.ts');
    const config = JSON.stringify({ rtc: { candidates: ['127.0.0.1'] } });
    server = spawn('ip', ['netns', 'exec', NS, tsx, script, 'rtc-ice-tcp-blocked', config], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    onJsonLines<{ ports?: Ports }>(server.stdout, (msg) => {
      if (msg.ports) ports = msg.ports;
    });
    await waitFor(() => ports !== undefined, 20_000, 'the server in the namespace');

    // biome-ignore format: ffmpeg arguments read best as flag/value pairs
    rtmp = startProcess('ip', [
      'netns', 'exec', NS, 'ffmpeg', '-hide_banner', '-loglevel', 'warning', '-re', '-stream_loop', '-1',
      '-i', sample, '-c', 'copy', '-f', 'flv', `rtmp://127.0.0.1:${ports.rtmp}/live/rtmp`,
    ]);

    // Playwright drives Chromium over a pipe, so a wrapper can start it inside the namespace.
    const wrapper = join(dir, 'chromium-in-netns');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${NS} /usr/bin/chromium "$@"\n`);
    chmodSync(wrapper, 0o755);
    browser = await chromium.launch({
      executablePath: wrapper,
      headless: true,
      // biome-ignore format: one flag a line is long for no gain
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
        '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await rtmp?.stop();
    await stopServerAndNamespace(server, NS);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('WHEP: Chromium plays the RTMP stream over ICE-TCP while its UDP checks are dropped', async () => {
    const page = await blankPage();
    const droppedBefore = droppedUdp();
    const played = await pollFor(
      async () => {
        const r = await openPeer(page, `/rtc/v1/whep/?app=live&stream=rtmp`, 'whep');
        return r.status === 201 ? r : undefined;
      },
      15_000,
      'the WHEP answer (the RTMP stream is live)',
    );
    // The server offers both: only the block makes the connection take TCP.
    const candidates = answerCandidates(played.sdp);
    expect(candidates).toContain(`udp 127.0.0.1 ${ports.rtc}`);
    expect(candidates).toContain(`tcp 127.0.0.1 ${ports.rtc}`);
    const first = await pollFor(
      async () => {
        const s = await peerStats(page);
        return s.framesDecoded > 30 ? s : undefined;
      },
      30_000,
      'video frames decoded at the WHEP viewer',
    );
    await new Promise((r) => setTimeout(r, 1000));
    const later = await peerStats(page);
    console.log('WHEP over ICE-TCP', { first, later, dropped: droppedUdp() - droppedBefore });
    expect(later.framesDecoded).toBeGreaterThan(first.framesDecoded);
    expect(later.connectionState).toBe('connected');
    expect(later.remoteProtocol).toBe('tcp');
    expect(later.localProtocol).toBe('tcp');
    expect(later.remotePort).toBe(ports.rtc);
    expect(droppedUdp()).toBeGreaterThan(droppedBefore);
    await page.close();
  }, 60_000);

  it('WHIP: Chromium publishes over ICE-TCP; ffprobe in the namespace reads H.264 over HTTP-FLV', async () => {
    const page = await blankPage();
    const droppedBefore = droppedUdp();
    const published = await openPeer(page, `/rtc/v1/whip/?app=live&stream=cam`, 'whip');
    expect(published.status, published.sdp).toBe(201);
    const connected = await pollFor(
      async () => {
        const s = await peerStats(page);
        return s.connectionState === 'connected' && s.framesSent > 30 ? s : undefined;
      },
      30_000,
      'the WHIP publisher connected and sending',
    );
    expect(connected.remoteProtocol).toBe('tcp');
    expect(droppedUdp()).toBeGreaterThan(droppedBefore);
    // biome-ignore format: ffprobe arguments read best as flag/value pairs
    const result = await runProcess('ip', [
      'netns', 'exec', NS, 'ffprobe', '-hide_banner', '-v', 'error', '-rw_timeout', '15000000',
      '-show_streams', '-of', 'json', `http://127.0.0.1:${ports.http}/live/cam.flv`,
    ], 30_000);
    expect(result.code, result.stderr).toBe(0);
    const streams = (JSON.parse(result.stdout) as { streams: ProbeStream[] }).streams;
    const video = streams.find((s) => s.codec_type === 'video');
    console.log('WHIP over ICE-TCP → HTTP-FLV', { connected, video: video && [video.codec_name, video.width] });
    expect(video?.codec_name).toBe('h264');
    expect(video?.width).toBe(640);
    await page.evaluate(() => (window as unknown as { pc: RTCPeerConnection }).pc.close());
    await page.close();
  }, 60_000);
});
