import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RtcSession } from '../../server-core/servers/rtc/index.js';
import { launchChromium, PageServer } from './support/browser.js';
import { publish } from './support/ffmpeg.js';
import type { RunningProcess } from './support/run-process.js';
import { ensureSample } from './support/sample-media.js';
import { pollFor, type RunningServer, startTestServer } from './support/test-server.js';

const FRAGMENT = 'application/trickle-ice-sdpfrag';

interface ViewerState {
  framesDecoded: number;
  iceState: string;
  signaling: string;
  /** The ufrag Chromium's selected pair checks with (RTCTransportStats.iceLocalUsernameFragment). */
  localUfrag?: string;
  localPort?: number;
}

/** Opens a WHEP viewer in the page; keeps the RTCPeerConnection and the Location on window. */
async function openViewer(page: Page, endpoint: string): Promise<{ status: number; location: string; etag: string }> {
  return page.evaluate(async (endpoint) => {
    const pc = new RTCPeerConnection({ iceServers: [] });
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: pc.localDescription?.sdp,
    });
    const answer = await response.text();
    if (response.status === 201) await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    (window as unknown as { pc: RTCPeerConnection }).pc = pc;
    return {
      status: response.status,
      location: new URL(response.headers.get('Location') ?? '', endpoint).href,
      etag: response.headers.get('ETag') ?? '',
    };
  }, endpoint);
}

/**
 * What a WHEP client does to restart ICE (RFC 9725 4.4): restartIce, a new offer, its credentials PATCHed
 * with If-Match: *, and the server's new credentials put into the previous answer.
 */
async function restartIce(
  page: Page,
  location: string,
): Promise<{ status: number; etag: string; body: string; ufrag: string }> {
  return page.evaluate(
    async ({ location, type }) => {
      const pc = (window as unknown as { pc: RTCPeerConnection }).pc;
      pc.restartIce();
      await pc.setLocalDescription(await pc.createOffer());
      const offer = pc.localDescription?.sdp ?? '';
      const ufrag = /a=ice-ufrag:(\S+)/.exec(offer)?.[1] ?? '';
      const pwd = /a=ice-pwd:(\S+)/.exec(offer)?.[1] ?? '';
      const mid = /a=mid:(\S+)/.exec(offer)?.[1] ?? '0';
      const response = await fetch(location, {
        method: 'PATCH',
        headers: { 'Content-Type': type, 'If-Match': '*' },
        body: `a=ice-ufrag:${ufrag}\r\na=ice-pwd:${pwd}\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:${mid}\r\n`,
      });
      const body = await response.text();
      const ours = { ufrag: /a=ice-ufrag:(\S+)/.exec(body)?.[1], pwd: /a=ice-pwd:(\S+)/.exec(body)?.[1] };
      if (response.status === 200 && ours.ufrag && ours.pwd) {
        const previous = pc.currentRemoteDescription?.sdp ?? '';
        const answer = previous
          .replace(/a=ice-ufrag:\S+/g, `a=ice-ufrag:${ours.ufrag}`)
          .replace(/a=ice-pwd:\S+/g, `a=ice-pwd:${ours.pwd}`);
        await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      }
      return { status: response.status, etag: response.headers.get('ETag') ?? '', body, ufrag };
    },
    { location, type: 'application/trickle-ice-sdpfrag' },
  );
}

async function viewerState(page: Page): Promise<ViewerState> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { pc: RTCPeerConnection }).pc;
    const report = await pc.getStats();
    const out: ViewerState = { framesDecoded: 0, iceState: pc.iceConnectionState, signaling: pc.signalingState };
    report.forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') out.framesDecoded = r.framesDecoded ?? 0;
      if (r.type === 'transport' && r.selectedCandidatePairId) {
        out.localUfrag = r.iceLocalUsernameFragment;
        const pair = report.get(r.selectedCandidatePairId);
        const local = pair && report.get(pair.localCandidateId);
        if (local) out.localPort = local.port;
      }
    });
    return out;
  });
}

/** The app's own WHIP/WHEP client (renderer/src/components/webrtc-session.ts), loaded into the page as window.tallyRtc. */
async function loadAppRtcClient(page: Page): Promise<void> {
  const source = readFileSync(join(process.cwd(), 'renderer/src/components/webrtc-session.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  await page.addScriptTag({ type: 'module', content: `${outputText}\nwindow.tallyRtc = { restartIce };` });
  await page.waitForFunction(() => 'tallyRtc' in window);
}

async function patch(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'PATCH', headers: { 'Content-Type': FRAGMENT, ...headers }, body });
}

describe('WHEP PATCH: trickle ICE and ICE restart (RFC 9725 4.3, 4.4) with Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let rtmp: RunningProcess | undefined;
  const pages = new PageServer();

  beforeAll(async () => {
    const [sample] = await Promise.all([
      ensureSample(),
      (async () => {
        server = await startTestServer('whep-ice-restart');
      })(),
      pages.start(),
    ]);
    pages.addPage('/', '<!doctype html><title>ice restart</title>');
    rtmp = publish(sample, server.rtmpUrl('/live/restart'));
    browser = await launchChromium(['--allow-loopback-in-peer-connection']);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await rtmp?.stop();
    pages.close();
    await server?.close();
  });

  it('restarts ICE on a new path: new credentials both ways, the new ETag, media on through the send worker', async () => {
    const page = await browser.newPage();
    await page.goto(pages.url('/'));
    const opened = await openViewer(page, server.apiUrl('/rtc/v1/whep/?app=live&stream=restart'));
    expect(opened.status).toBe(201);
    expect(opened.etag).toMatch(/^"[0-9a-f]+"$/);
    const before = await pollFor(
      async () => {
        const s = await viewerState(page);
        return s.framesDecoded > 30 ? s : undefined;
      },
      30_000,
      'frames decoded before the restart',
    );
    const transport = server.server.rtc?.rtcTransport;
    const session = [...(transport?.sessions ?? [])].find((s) => s.role === 'whep') as RtcSession;
    const firstUfrag = session.ice.localUfrag;
    const firstRemote = session.path?.remote;
    expect(server.server.rtc?.counts().sendWorkers).toBe(1);

    // A candidate-only PATCH is taken as it is (204): an ICE-lite server learns addresses from the checks.
    const trickle = await patch(
      opened.location,
      'a=mid:0\r\na=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\r\na=end-of-candidates\r\n',
      { 'If-Match': opened.etag },
    );
    expect(trickle.status).toBe(204);
    expect(trickle.headers.get('ETag')).toBe(opened.etag);

    const restarted = await restartIce(page, opened.location);
    expect(restarted.status, restarted.body).toBe(200);
    expect(restarted.body).toMatch(/^a=ice-lite\r\na=ice-ufrag:\S+\r\na=ice-pwd:\S{22,}\r\n$/);
    expect(restarted.etag).not.toBe(opened.etag);
    expect(session.ice.remoteUfrag).toBe(restarted.ufrag);
    expect(session.ice.localUfrag).not.toBe(firstUfrag);
    expect(session.stats.iceRestarts).toBe(1);

    // Chromium gathers new ports for the new generation, checks them with the new credentials, and the
    // server's session (and the send worker carrying it) moves to that path.
    const after = await pollFor(
      async () => {
        const s = await viewerState(page);
        return s.iceState === 'connected' && s.localUfrag === restarted.ufrag && session.path?.remote !== firstRemote
          ? s
          : undefined;
      },
      20_000,
      "Chromium's selected pair on the new ICE generation",
    );
    console.log('ICE restart', { before, after, firstRemote, now: session.path?.remote, stats: session.stats });
    expect(after.localPort).not.toBe(before.localPort);
    expect(session.path?.remote).toBe(`127.0.0.1:${after.localPort}`);
    const flowing = await pollFor(
      async () => {
        const s = await viewerState(page);
        return s.framesDecoded > after.framesDecoded + 45 ? s : undefined;
      },
      20_000,
      'frames decoded on the new path',
    );
    expect(flowing.framesDecoded).toBeGreaterThan(after.framesDecoded + 45);
    expect(server.server.rtc?.counts()).toMatchObject({ viewers: 1, sendWorkers: 1 });

    // The app's preview does the same when its connection drops: its restartIce, against this session.
    await loadAppRtcClient(page);
    const byApp = await page.evaluate(async (location) => {
      const pc = (window as unknown as { pc: RTCPeerConnection }).pc;
      const rtc = (
        window as unknown as { tallyRtc: { restartIce(pc: RTCPeerConnection, r: string): Promise<boolean> } }
      ).tallyRtc;
      return rtc.restartIce(pc, location);
    }, opened.location);
    expect(byApp).toBe(true);
    expect(session.stats.iceRestarts).toBe(2);
    // Done only when Chromium took the answer and checked new ports with the new credentials: the server's
    // session then moves to that path.
    const pathBefore = session.path?.remote;
    const again = await pollFor(
      async () => {
        const s = await viewerState(page);
        const moved = session.path?.remote !== pathBefore && session.path?.remote === `127.0.0.1:${s.localPort}`;
        return s.signaling === 'stable' && s.iceState === 'connected' && moved ? s : undefined;
      },
      20_000,
      "Chromium on the app's ICE restart",
    );
    expect(again.localUfrag).not.toBe(restarted.ufrag);
    await pollFor(
      async () => {
        const s = await viewerState(page);
        return s.framesDecoded > again.framesDecoded + 30 ? s : undefined;
      },
      20_000,
      "frames decoded after the app's restart",
    );

    // The ETag before the restart no longer matches; a broken fragment is a 400 that leaves the session be.
    const stale = await patch(opened.location, 'a=end-of-candidates\r\n', { 'If-Match': opened.etag });
    expect(stale.status).toBe(412);
    const broken = await patch(opened.location, 'v=0\r\na=ice-ufrag:x\r\n');
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain('a= and m= lines only');
    const wrongType = await fetch(opened.location, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/sdp' },
      body: 'a=end-of-candidates\r\n',
    });
    expect(wrongType.status).toBe(415);
    expect(session.closed).toBe(false);
    expect(session.stats.iceRestarts).toBe(2);
    const still = await viewerState(page);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await viewerState(page)).framesDecoded).toBeGreaterThan(still.framesDecoded + 15);

    const unknown = await patch(server.apiUrl(`/rtc/v1/whep/${'0'.repeat(32)}`), 'a=end-of-candidates\r\n');
    expect(unknown.status).toBe(404);
    expect((await fetch(opened.location, { method: 'DELETE' })).status).toBe(200);
    expect((await patch(opened.location, 'a=end-of-candidates\r\n')).status).toBe(404);
    await page.close();
  }, 90_000);
});
