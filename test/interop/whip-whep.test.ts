import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PageServer } from './support/browser.js';
import { publish } from './support/ffmpeg.js';
import { type RunningProcess, runProcess } from './support/run-process.js';
import { ensureSample } from './support/sample-media.js';
import { pollFor, type RunningServer, startTestServer } from './support/test-server.js';

const CHROMIUM_RTC_FLAGS = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  // Remote audio is decoded only while something plays it: an <audio> element, allowed to start unprompted.
  '--autoplay-policy=no-user-gesture-required',
];
const SECRET = 'whip-secret-1';

interface PeerStats {
  connectionState: string;
  framesDecoded: number;
  audioPackets: number;
  /** Audio samples the decoder produced: Opus that really decodes, not just packets. */
  audioSamples: number;
  remotePort?: number;
}

/**
 * The page side, on another origin than the API (the CORS case): an RTCPeerConnection that publishes (fake
 * camera + mic) or plays, signalled by a WHIP/WHEP POST. Returns the status, the Location and the error text.
 */
async function openPeer(
  page: Page,
  endpoint: string,
  role: 'whip' | 'whep',
  headers: Record<string, string> = {},
): Promise<{ status: number; location: string | null; text: string }> {
  return page.evaluate(
    async ({ endpoint, role, headers }) => {
      const pc = new RTCPeerConnection({ iceServers: [] });
      if (role === 'whip') {
        const stream = await navigator.mediaDevices.getUserMedia({
          video: { width: 640, height: 360, frameRate: 30 },
          audio: true,
        });
        for (const t of stream.getTracks()) pc.addTransceiver(t, { direction: 'sendonly', streams: [stream] });
      } else {
        pc.addTransceiver('video', { direction: 'recvonly' });
        pc.addTransceiver('audio', { direction: 'recvonly' });
        pc.ontrack = (event) => {
          if (event.track.kind !== 'audio') return;
          const element = new Audio();
          element.srcObject = new MediaStream([event.track]);
          void element.play();
        };
      }
      await pc.setLocalDescription(await pc.createOffer());
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp', ...headers },
        body: pc.localDescription?.sdp,
      });
      const text = await response.text();
      if (response.status === 201) await pc.setRemoteDescription({ type: 'answer', sdp: text });
      else pc.close();
      (window as unknown as { pc: RTCPeerConnection }).pc = pc;
      return { status: response.status, location: response.headers.get('Location'), text };
    },
    { endpoint, role, headers },
  );
}

async function peerStats(page: Page): Promise<PeerStats> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { pc: RTCPeerConnection }).pc;
    const report = await pc.getStats();
    const out: PeerStats = { connectionState: pc.connectionState, framesDecoded: 0, audioPackets: 0, audioSamples: 0 };
    report.forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') out.framesDecoded = r.framesDecoded ?? 0;
      if (r.type === 'inbound-rtp' && r.kind === 'audio') {
        out.audioPackets = r.packetsReceived ?? 0;
        out.audioSamples = r.totalSamplesReceived ?? 0;
      }
      if (r.type === 'transport' && r.selectedCandidatePairId) {
        const pair = report.get(r.selectedCandidatePairId);
        const remote = pair && report.get(pair.remoteCandidateId);
        if (remote) out.remotePort = remote.port;
      }
    });
    return out;
  });
}

async function framesPast(page: Page, n: number, timeoutMs = 30_000): Promise<PeerStats> {
  return pollFor(
    async () => {
      const s = await peerStats(page);
      return s.framesDecoded > n ? s : undefined;
    },
    timeoutMs,
    `framesDecoded > ${n}`,
  );
}

/** A real Chromium offer (nothing connects): for the refusal tests. */
async function chromiumOffer(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const pc = new RTCPeerConnection({ iceServers: [] });
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const sdp = pc.localDescription?.sdp ?? '';
    pc.close();
    return sdp;
  });
}

/** ffmpeg decodes the video of an HTTP-FLV URL for `seconds` (-xerror); stderr names the audio codec too. */
async function decodeFlv(
  url: string,
  seconds: number,
): Promise<{ code: number | null; frames: number; stderr: string }> {
  // biome-ignore format: ffmpeg arguments read best as flag/value pairs
  const args = [
    '-hide_banner', '-nostats', '-xerror', '-rw_timeout', '15000000', '-probesize', '65536', '-analyzeduration', '500000',
    '-i', url, '-t', String(seconds), '-map', '0:v:0', '-f', 'null', '-progress', 'pipe:1', '-',
  ];
  const result = await runProcess('ffmpeg', args, (seconds + 20) * 1000);
  const frames = [...result.stdout.matchAll(/^frame=(\d+)/gm)].map((m) => Number(m[1]));
  return { code: result.code, frames: frames.length ? frames[frames.length - 1] : 0, stderr: result.stderr };
}

/** Closes the page's RTCPeerConnection (DTLS close_notify: the server ends the session now), then the page. */
async function closePeer(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { pc?: RTCPeerConnection }).pc?.close()).catch(() => undefined);
  await page.close();
}

describe('WHIP and WHEP on the real server, Chromium and ffmpeg', () => {
  let server: RunningServer;
  let browser: Browser;
  const pages = new PageServer();
  let rtmp: RunningProcess | undefined;
  let whipPage: Page;
  let whipLocation = '';

  const api = (path: string) => server.apiUrl(path);

  beforeAll(async () => {
    const [sample] = await Promise.all([
      ensureSample(),
      (async () => {
        server = await startTestServer('whip-whep', {
          rtc: { maxViewers: 3 },
          security: { publishSecret: SECRET },
        });
      })(),
      pages.start(),
    ]);
    pages.addPage('/', '<!doctype html><title>whip-whep</title>');
    rtmp = publish(sample, server.rtmpUrl(`/live/rtmp?secret=${SECRET}`));
    browser = await launchChromium(CHROMIUM_RTC_FLAGS);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await rtmp?.stop();
    pages.close();
    await server?.close();
  });

  it('bad SDP → 400 with the reason; CORS preflight answers any origin; unknown session → 404', async () => {
    const bad = await fetch(api('/rtc/v1/whip/?app=live&stream=x'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp', Origin: 'https://player.example' },
      body: 'this is not sdp',
    });
    expect(bad.status).toBe(400);
    expect((await bad.text()).length).toBeGreaterThan(3);
    expect(bad.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(api('/rtc/v1/whep/?app=live&stream=x'), {
      method: 'OPTIONS',
      headers: { Origin: 'https://player.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-expose-headers')).toContain('Location');
    const gone = await fetch(api(`/rtc/v1/whip/${'0'.repeat(32)}`), { method: 'DELETE' });
    expect(gone.status).toBe(404);
    // The same signalling on the media port, which other machines reach when the API stays on loopback.
    const media = await fetch(server.httpUrl('/rtc/v1/whep/?app=live&stream=x'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: 'this is not sdp',
    });
    expect(media.status).toBe(400);
  });

  it('WHIP: Chromium publishes (fake camera + mic); ffmpeg decodes the same stream over HTTP-FLV as H.264 + AAC', async () => {
    whipPage = await browser.newPage();
    await whipPage.goto(pages.url('/'));
    const refused = await openPeer(whipPage, api('/rtc/v1/whip/?app=live&stream=cam&secret=wrong'), 'whip');
    expect(refused.status).toBe(403);
    const published = await openPeer(whipPage, api('/rtc/v1/whip/?app=live&stream=cam'), 'whip', {
      Authorization: `Bearer ${SECRET}`,
    });
    expect(published.status, published.text).toBe(201);
    expect(published.location).toMatch(/^\/rtc\/v1\/whip\/[0-9a-f]{32}$/);
    whipLocation = published.location ?? '';
    await pollFor(
      async () => ((await peerStats(whipPage)).connectionState === 'connected' ? true : undefined),
      15_000,
      'WHIP connected',
    );
    const result = await decodeFlv(server.httpUrl('/live/cam.flv'), 7);
    console.log('WHIP → HTTP-FLV', { frames: result.frames, code: result.code });
    expect(result.code, result.stderr.slice(-800)).toBe(0);
    expect(result.stderr).toContain('Video: h264');
    // The publisher's Opus, transcoded by ffmpeg for FLV players.
    expect(result.stderr).toMatch(/Audio: aac \(LC\).*48000 Hz/);
    expect(result.frames).toBeGreaterThanOrEqual(100);
    const source = server.server.registry.find({ vhost: '__defaultVhost__', app: 'live', stream: 'cam' });
    expect(source?.track('video')?.codec ?? 'h264').toBe('h264');
  }, 45_000);

  it('WHEP: two Chromium viewers decode the RTMP stream (ffmpeg, H.264); the WHIP publisher shares the one UDP port', async () => {
    const port = server.server.rtc?.udpPort;
    const viewers: Page[] = [];
    for (let i = 0; i < 2; i++) {
      const page = await browser.newPage();
      await page.goto(pages.url('/'));
      const played = await openPeer(page, api('/rtc/v1/whep/?app=live&stream=rtmp'), 'whep');
      expect(played.status, played.text).toBe(201);
      viewers.push(page);
    }
    const stats = await Promise.all(viewers.map((p) => framesPast(p, 60)));
    const publisher = await peerStats(whipPage);
    console.log('WHEP', { stats, publisher, counts: server.server.rtc?.counts() });
    for (const s of stats) expect(s.remotePort).toBe(port);
    expect(publisher.remotePort).toBe(port);
    // The viewers' media went out through a send worker's sockets (Chromium drops media from any other port).
    expect(server.server.rtc?.counts()).toEqual({ publishers: 1, viewers: 2, sendWorkers: 1 });
    // rtc.maxViewers is 3 here: a third viewer of the WHIP stream is fine, a fourth gets 503 with the reason.
    const third = await browser.newPage();
    await third.goto(pages.url('/'));
    expect((await openPeer(third, api('/rtc/v1/whep/?app=live&stream=cam'), 'whep')).status).toBe(201);
    await framesPast(third, 30);
    // RTMP → WHEP: the source's AAC reaches both viewers as Opus that decodes.
    const audible = await Promise.all(
      viewers.map((page) =>
        pollFor(
          async () => {
            const s = await peerStats(page);
            return s.audioPackets > 50 && s.audioSamples > 48_000 ? s : undefined;
          },
          15_000,
          'Opus made from the RTMP AAC, decoded at the WHEP viewer',
        ),
      ),
    );
    const later = await Promise.all(
      viewers.map((page) => new Promise((r) => setTimeout(r, 1000)).then(() => peerStats(page))),
    );
    for (const [i, s] of later.entries()) expect(s.audioSamples).toBeGreaterThan(audible[i].audioSamples);
    // WHIP → WHEP: the publisher's Opus reaches the viewer as Opus RTP.
    const relayed = await pollFor(
      async () => {
        const s = await peerStats(third);
        return s.audioPackets > 20 ? s : undefined;
      },
      10_000,
      'Opus packets at the WHEP viewer of the WHIP stream',
    );
    expect(relayed.audioPackets).toBeGreaterThan(20);
    expect(server.server.rtc?.plisSent).toBeGreaterThan(0);
    const fourth = await fetch(api('/rtc/v1/whep/?app=live&stream=rtmp'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: await chromiumOffer(third),
    });
    expect(fourth.status).toBe(503);
    expect(await fourth.text()).toContain('maxViewers');
    for (const page of [...viewers, third]) await closePeer(page);
    await pollFor(
      async () => (server.server.rtc?.counts().viewers === 0 ? true : undefined),
      10_000,
      'viewers gone after their RTCPeerConnections closed',
    );
  }, 60_000);

  it('SRS JSON: POST /rtc/v1/play/ {sdp, streamurl} → {code: 0, sdp, sessionid}', async () => {
    const page = await browser.newPage();
    await page.goto(pages.url('/'));
    const sdp = await chromiumOffer(page);
    const response = await fetch(api('/rtc/v1/play/'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ api: api('/rtc/v1/play/'), streamurl: 'webrtc://127.0.0.1/live/rtmp', sdp }),
    });
    const body = (await response.json()) as { code: number; sdp?: string; sessionid?: string; message?: string };
    expect(body.code, body.message).toBe(0);
    expect(body.sdp).toContain('a=ice-lite');
    expect(body.sessionid).toMatch(/^[0-9a-f]{32}$/);
    const publishBad = await fetch(api('/rtc/v1/publish/'), {
      method: 'POST',
      body: JSON.stringify({ streamurl: `webrtc://127.0.0.1/live/json?secret=${SECRET}`, sdp: 'not sdp' }),
    });
    const bad = (await publishBad.json()) as { code: number; message?: string };
    expect(bad.code).toBe(400);
    expect(bad.message?.length).toBeGreaterThan(3);
    const ended = await fetch(api(`/rtc/v1/whep/${body.sessionid}`), { method: 'DELETE' });
    expect(ended.status).toBe(200);
    await page.close();
  });

  it('DELETE on the WHIP Location ends the publish session', async () => {
    const source = server.server.registry.find({ vhost: '__defaultVhost__', app: 'live', stream: 'cam' });
    expect(source).toBeDefined();
    const response = await fetch(api(whipLocation), { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(server.server.rtc?.counts().publishers).toBe(0);
    const again = await fetch(api(whipLocation), { method: 'DELETE' });
    expect(again.status).toBe(404);
    await whipPage.close();
  });

  it('a WHIP publisher that closes its RTCPeerConnection ends its publish session', async () => {
    const page = await browser.newPage();
    await page.goto(pages.url('/'));
    const published = await openPeer(page, api(`/rtc/v1/whip/?app=live&stream=leaves&secret=${SECRET}`), 'whip');
    expect(published.status, published.text).toBe(201);
    await pollFor(
      async () => (server.server.rtc?.counts().publishers === 1 ? true : undefined),
      5_000,
      'the publisher',
    );
    await pollFor(
      async () => ((await peerStats(page)).connectionState === 'connected' ? true : undefined),
      15_000,
      'connected',
    );
    await closePeer(page);
    await pollFor(
      async () => (server.server.rtc?.counts().publishers === 0 ? true : undefined),
      10_000,
      'the publish session ended by the DTLS close',
    );
  });
});
