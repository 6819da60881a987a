import { createSocket } from 'node:dgram';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { H264Depacketizer, RtpHeaderRewriter, type RtpPacket } from '../../server-core/protocol/rtp/index.js';
import {
  type CreatedRtcSession,
  type RtcCloseReason,
  type RtcSession,
  RtcTransport,
  SRTP_AES128_CM_HMAC_SHA1_80,
} from '../../server-core/servers/rtc/index.js';
import { launchChromium } from './support/browser.js';
import { RtcSignaling } from './support/rtc-signaling.js';
import { RtcTestPeer } from './support/rtc-test-peer.js';

const CHROMIUM_RTC_FLAGS = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
];

/** Polls check every 100 ms until it returns a value, at most timeoutMs. */
async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface PeerStats {
  connectionState: string;
  framesDecoded: number;
  packetsReceived: number;
  remotePort?: number;
  remoteProtocol?: string;
  remoteAddress?: string;
}

/** The page side: an RTCPeerConnection that publishes (WHIP) or plays (WHEP) through our test endpoint. */
async function openPeer(page: Page, role: 'whip' | 'whep', options: { tcpOnly?: boolean } = {}): Promise<void> {
  await page.evaluate(
    async ({ role, tcpOnly }) => {
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
      }
      await pc.setLocalDescription(await pc.createOffer());
      const response = await fetch(`/${role}`, { method: 'POST', body: pc.localDescription?.sdp });
      if (response.status !== 201) throw new Error(`${response.status} ${await response.text()}`);
      let answer = await response.text();
      if (tcpOnly) {
        answer = answer
          .split('\r\n')
          .filter((l) => !(l.startsWith('a=candidate') && / udp /i.test(l)))
          .join('\r\n');
      }
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      (window as unknown as { pc: RTCPeerConnection }).pc = pc;
    },
    { role, tcpOnly: options.tcpOnly ?? false },
  );
}

async function peerStats(page: Page): Promise<PeerStats> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { pc: RTCPeerConnection }).pc;
    const report = await pc.getStats();
    const out: PeerStats = { connectionState: pc.connectionState, framesDecoded: 0, packetsReceived: 0 };
    report.forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') {
        out.framesDecoded = r.framesDecoded ?? 0;
        out.packetsReceived = r.packetsReceived ?? 0;
      }
      if (r.type === 'transport' && r.selectedCandidatePairId) {
        const pair = report.get(r.selectedCandidatePairId);
        const remote = pair && report.get(pair.remoteCandidateId);
        if (remote) {
          out.remotePort = remote.port;
          out.remoteProtocol = remote.protocol;
          out.remoteAddress = remote.address;
        }
      }
    });
    return out;
  });
}

/** What one WHIP session delivered: packets per kind, access units with their NAL types. */
class PublishedMedia {
  readonly count = { audio: 0, video: 0 };
  readonly payloadTypes = { audio: new Set<number>(), video: new Set<number>() };
  readonly keyframeNalTypes: number[][] = [];
  videoSsrc?: number;
  private readonly depacketizer = new H264Depacketizer();

  constructor(readonly created: CreatedRtcSession) {
    created.session.on('rtp', (packet, kind) => {
      this.count[kind]++;
      this.payloadTypes[kind].add(packet.payloadType);
      if (kind !== 'video') return;
      this.videoSsrc = packet.ssrc;
      if (this.keyframeNalTypes.length > 0) return;
      for (const unit of this.depacketizer.push(packet)) {
        const types = unit.nals.map((n) => n[0] & 0x1f);
        if (types.includes(5)) this.keyframeNalTypes.push(types);
      }
    });
  }
}

/** Forwards a publisher's RTP to viewers with their own headers; viewers' PLIs go to the publisher (1 per 500 ms). */
class Relay {
  private readonly viewers = new Map<RtcSession, { video?: RtpHeaderRewriter; audio?: RtpHeaderRewriter }>();
  private lastPli = 0;
  forwarded = 0;
  plis = 0;

  constructor(private readonly publisher: PublishedMedia) {
    publisher.created.session.on('rtp', (packet, kind) => this.forward(packet, kind));
  }

  addViewer(created: CreatedRtcSession): void {
    const rewriters: { video?: RtpHeaderRewriter; audio?: RtpHeaderRewriter } = {};
    for (const kind of ['audio', 'video'] as const) {
      const media = created.negotiated[kind];
      const source = created.send[kind];
      if (media && source) {
        rewriters[kind] = new RtpHeaderRewriter({
          ssrc: source.ssrc,
          payloadType: media.payloadType,
          sequenceOffset: Math.floor(Math.random() * 65536),
        });
      }
    }
    this.viewers.set(created.session, rewriters);
    created.session.on('closed', () => this.viewers.delete(created.session));
    created.session.on('rtcp', (packets) => {
      if (!packets.some((p) => p.type === 'pli' || p.type === 'fir')) return;
      const ssrc = this.publisher.videoSsrc;
      const now = Date.now();
      if (ssrc === undefined || now - this.lastPli < 500) return;
      this.lastPli = now;
      this.plis++;
      this.publisher.created.session.sendRtcp([{ type: 'pli', senderSsrc: 1, mediaSsrc: ssrc }]);
    });
  }

  private forward(packet: RtpPacket, kind: 'audio' | 'video'): void {
    if (packet.payload.length === 0) return;
    for (const [session, rewriters] of this.viewers) {
      const rewriter = rewriters[kind];
      if (!rewriter || session.state !== 'connected') continue;
      if (session.sendRtp(rewriter.header(packet), packet.payload)) this.forwarded++;
    }
  }
}

describe('WebRTC transport: one UDP port, real Chromium', () => {
  let browser: Browser;
  let transport: RtcTransport;
  let signaling: RtcSignaling;
  let publisher: PublishedMedia | undefined;
  let relay: Relay | undefined;
  const pending: CreatedRtcSession[] = [];
  const closedReasons = new Map<RtcSession, RtcCloseReason>();

  beforeAll(async () => {
    transport = new RtcTransport({ host: '127.0.0.1', port: 0 });
    await transport.start();
    signaling = new RtcSignaling(transport, (created, path) => {
      created.session.on('closed', (reason) => closedReasons.set(created.session, reason));
      if (path === '/whip' && !publisher) {
        publisher = new PublishedMedia(created);
        relay = new Relay(publisher);
      } else if (path === '/whep') {
        relay?.addViewer(created);
      } else {
        pending.push(created);
      }
    });
    await signaling.start();
    browser = await launchChromium(CHROMIUM_RTC_FLAGS);
  });

  afterAll(async () => {
    await browser?.close();
    signaling?.close();
    transport?.close();
  });

  it('WHIP: Chromium publishes H.264 and Opus, SRTP decrypts, a keyframe carries SPS and PPS', async () => {
    const page = await browser.newPage();
    await page.goto(signaling.url('/'));
    await openPeer(page, 'whip');
    const created = await until('the WHIP session', () => publisher?.created);
    const session = created.session;
    await until('connected', () => session.state === 'connected');
    await until('Chromium connected', async () => (await peerStats(page)).connectionState === 'connected');
    const media = publisher as PublishedMedia;
    await until('a keyframe', () => media.keyframeNalTypes.length > 0 && media.count.audio > 10);
    expect(created.negotiated.video?.rtpmap.encoding.toUpperCase()).toBe('H264');
    expect(created.negotiated.audio?.rtpmap.encoding.toLowerCase()).toBe('opus');
    expect([...media.payloadTypes.video]).toEqual([created.negotiated.video?.payloadType]);
    expect([...media.payloadTypes.audio]).toEqual([created.negotiated.audio?.payloadType]);
    expect(media.keyframeNalTypes[0]).toEqual(expect.arrayContaining([7, 8, 5]));
    expect(session.stats.srtpErrors).toBe(0);
    const stats = await peerStats(page);
    expect(stats.remotePort).toBe(transport.udpAddress.port);
    expect(stats.remoteProtocol).toBe('udp');
    console.log('WHIP', {
      profile: session.srtpProfile,
      rtp: media.count,
      keyframe: media.keyframeNalTypes[0],
      mux: transport.udpStats,
    });
  });

  it('WHEP: a second Chromium peer decodes the relayed H.264 (framesDecoded > 30), both on the one port', async () => {
    const page = await browser.newPage();
    await page.goto(signaling.url('/'));
    await openPeer(page, 'whep');
    const viewer = await until('the WHEP session', () => signaling.created.find((c) => c.session.role === 'whep'));
    await until('viewer connected', () => viewer.session.state === 'connected');
    const stats = await until(
      'frames decoded',
      async () => {
        const s = await peerStats(page);
        return s.framesDecoded > 30 ? s : undefined;
      },
      30_000,
    );
    console.log('WHEP', { stats, forwarded: relay?.forwarded, plis: relay?.plis, viewer: viewer.session.stats });
    expect(stats.remotePort).toBe(transport.udpAddress.port);
    const whip = publisher?.created.session as RtcSession;
    expect(whip.state).toBe('connected');
    expect(whip.path?.transport).toBe('udp');
    expect(viewer.session.path?.transport).toBe('udp');
    expect(whip.path?.remote).not.toBe(viewer.session.path?.remote);
    expect(viewer.session.pendingBytes()).toBeLessThan(1_000_000);
    expect(transport.udpStats?.unknownAddress).toBe(0);
  });

  it('ICE-TCP: a peer offered only the TCP candidate connects on the same port number', async () => {
    const page = await browser.newPage();
    await page.goto(signaling.url('/'));
    const before = signaling.created.length;
    await openPeer(page, 'whip', { tcpOnly: true });
    const created = await until('the TCP session', () => signaling.created[before]);
    let rtp = 0;
    created.session.on('rtp', () => rtp++);
    await until('connected over TCP', () => created.session.state === 'connected' && rtp > 20, 20_000);
    expect(created.session.path?.transport).toBe('tcp');
    expect(transport.tcpPort).toBe(transport.udpAddress.port);
    const stats = await peerStats(page);
    expect(stats.remoteProtocol).toBe('tcp');
    expect(stats.remotePort).toBe(transport.udpAddress.port);
    await page.close();
  });

  it('SRTP_AES128_CM_HMAC_SHA1_80 when the server prefers it: Chromium media and RTCP decrypt', async () => {
    const cm = new RtcTransport({
      host: '127.0.0.1',
      port: 0,
      tcp: false,
      srtpProfiles: [SRTP_AES128_CM_HMAC_SHA1_80],
    });
    await cm.start();
    const cmSignaling = new RtcSignaling(cm);
    await cmSignaling.start();
    const page = await browser.newPage();
    try {
      await page.goto(cmSignaling.url('/'));
      await openPeer(page, 'whip');
      const created = await until('the session', () => cmSignaling.created[0]);
      let video = 0;
      const rtcpTypes = new Set<string>();
      created.session.on('rtp', (_p, kind) => {
        if (kind === 'video') video++;
      });
      created.session.on('rtcp', (packets) => {
        for (const p of packets) rtcpTypes.add(p.type);
      });
      await until('video and a sender report', () => video > 20 && rtcpTypes.has('sr'), 15_000);
      expect(created.session.srtpProfile).toBe(SRTP_AES128_CM_HMAC_SHA1_80);
      expect(created.session.stats.srtpErrors).toBe(0);
    } finally {
      await page.close();
      cmSignaling.close();
      cm.close();
    }
  });

  it('closing the publisher RTCPeerConnection closes the session (DTLS close_notify)', async () => {
    const whip = publisher?.created.session as RtcSession;
    const pages = browser.contexts().flatMap((c) => c.pages());
    await pages[0].evaluate(() => (window as unknown as { pc: RTCPeerConnection }).pc.close());
    await until('closed', () => whip.state === 'closed', 10_000);
    expect(closedReasons.get(whip)).toBe('dtls-alert');
  });
});

describe('WebRTC transport: Node peers (werift-dtls client) on the shared port', () => {
  let transport: RtcTransport;

  beforeAll(async () => {
    transport = new RtcTransport({ host: '127.0.0.1', port: 0, consentTimeoutMs: 1500, connectTimeoutMs: 3000 });
    await transport.start();
  });

  afterAll(() => transport?.close());

  it('WHEP to a Node peer: sendRtp arrives and decrypts across a sequence wrap', async () => {
    const peer = await RtcTestPeer.create('whep');
    const created = transport.createSession({ offer: peer.offer(), role: 'whep' });
    await peer.connect(created.answer, transport.udpAddress);
    await until('connected', () => created.session.state === 'connected');
    const rewriter = new RtpHeaderRewriter({
      ssrc: created.send.video?.ssrc ?? 0,
      payloadType: created.negotiated.video?.payloadType ?? 0,
    });
    for (let i = 0; i < 20; i++) {
      const src = { sequenceNumber: 65530 + i, timestamp: i * 3000, marker: true, payload: Buffer.alloc(500, i) };
      expect(created.session.sendRtp(rewriter.header(src), src.payload)).toBe(true);
    }
    await until('20 packets', () => peer.rtpReceived >= 20);
    expect(created.session.stats.rtpOut).toBe(20);
    peer.close();
  });

  it('a certificate that does not match the offered fingerprint closes the session', async () => {
    const peer = await RtcTestPeer.create('whep');
    const wrong = `sha-256 ${Array.from({ length: 32 }, () => 'AB').join(':')}`;
    const created = transport.createSession({ offer: peer.offer(wrong), role: 'whep' });
    await peer.connect(created.answer, transport.udpAddress).catch(() => {});
    await until('closed', () => created.session.state === 'closed', 5000);
    expect(created.session.reason).toBe('fingerprint-mismatch');
    peer.close();
  });

  it('datagrams from an address no check bound are dropped and counted; consent ends after silence', async () => {
    const peer = await RtcTestPeer.create('whip');
    const created = transport.createSession({ offer: peer.offer(), role: 'whip' });
    await peer.connect(created.answer, transport.udpAddress);
    await until('connected', () => created.session.state === 'connected');
    const header = Buffer.from([0x80, created.negotiated.video?.payloadType ?? 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9]);
    let received = 0;
    created.session.on('rtp', () => received++);
    peer.sendRtp(header, Buffer.from([0x65, 1, 2, 3]));
    await until('rtp in', () => received === 1);
    const before = transport.udpStats?.unknownAddress ?? 0;
    const stranger = createSocket('udp4');
    await new Promise((resolve) =>
      stranger.send(
        Buffer.from([0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0]),
        transport.udpAddress.port,
        '127.0.0.1',
        resolve,
      ),
    );
    stranger.close();
    await until('counted', () => (transport.udpStats?.unknownAddress ?? 0) > before);
    // No more checks from the peer: consent (1.5 s here, 30 s by default) runs out.
    await until('consent timeout', () => created.session.state === 'closed', 5000);
    expect(created.session.reason).toBe('consent-timeout');
    peer.close();
  });
});
