import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtcTestPeer } from './support/rtc-test-peer.js';
import { type RunningServer, startTestServer } from './support/test-server.js';

/**
 * Hand-made bad input on the WebRTC port from anyone on the LAN: random and half-valid datagrams from strangers,
 * garbage from a connected peer's own address (DTLS, SRTP, SRTCP that fail), well-encrypted RTP whose H.264 and
 * Opus payloads are nonsense, and broken ICE-TCP framing. The server must drop it all, keep the session it has,
 * and still take new ones.
 */

interface ClientRow {
  id: string;
  name: string;
  publish: boolean;
  protocol: string;
}

/** xorshift32 from a fixed seed: a failing case fails the same way every run. */
let state = 0x7a11;
const rng = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 0x1_0000_0000;
};
const randomBuffer = (length: number) => Buffer.from(Array.from({ length }, () => Math.floor(rng() * 256)));
const randomInt = (below: number) => Math.floor(rng() * below);

/** A datagram whose first byte puts it in one demux class (RFC 7983: STUN 0-3, DTLS 20-63, RTP/RTCP 128-191). */
function classedGarbage(): Buffer {
  const firsts = [0, 1, 3, 20, 22, 23, 63, 64, 127, 128, 0x80, 0x90, 191, 255];
  const data = randomBuffer(randomInt(1400));
  if (data.length > 0) data[0] = firsts[randomInt(firsts.length)];
  if (data.length > 1 && data[0] >= 128 && rng() < 0.5) data[1] = 192 + randomInt(16); // an RTCP packet type
  return data;
}

/** A STUN header with the magic cookie and attributes whose lengths lie. */
function lyingStun(): Buffer {
  const body = randomBuffer(randomInt(120));
  for (let i = 0; i + 4 <= body.length; i += 4 + randomInt(12)) {
    body.writeUInt16BE([0x0006, 0x0008, 0x8028, 0x0024, 0x0025, 0x8029, 0x802a][randomInt(7)], i);
    body.writeUInt16BE(randomInt(0x10000), i + 2);
  }
  const header = Buffer.alloc(20);
  header.writeUInt16BE(0x0001, 0);
  header.writeUInt16BE(rng() < 0.5 ? body.length : randomInt(0x10000), 2);
  header.writeUInt32BE(0x2112a442, 4);
  randomBuffer(12).copy(header, 8);
  return Buffer.concat([header, body]);
}

/** A DTLS record header (handshake or application data, DTLS 1.2) around random bytes, length true or not. */
function garbageDtlsRecord(): Buffer {
  const body = randomBuffer(randomInt(300));
  const header = Buffer.from([[20, 21, 22, 23][randomInt(4)], 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  header.writeUInt16BE(rng() < 0.5 ? body.length : randomInt(0x10000), 11);
  return Buffer.concat([header, body]);
}

/** H.264 RTP payloads that break the rules: bad STAP-A lengths, FU-A without a start, reserved NAL types. */
function badH264Payload(): Buffer {
  const payload = randomBuffer(1 + randomInt(1200));
  const shapes = [
    () => {
      payload[0] = 24; // STAP-A whose first unit claims more than there is
      if (payload.length >= 3) payload.writeUInt16BE(0xffff, 1);
    },
    () => {
      payload[0] = 28; // FU-A continuing a unit that never started
      if (payload.length >= 2) payload[1] = 0x05;
    },
    () => {
      payload[0] = 28; // FU-A starting with an empty fragment
      payload.subarray(0, 2).set([28, 0x80 | 0x05]);
    },
    () => {
      payload[0] = [0, 25, 26, 27, 29, 30, 31][randomInt(7)]; // types WebRTC never sends
    },
    () => {
      payload[0] = 0x67; // an SPS that is noise
    },
    () => {},
  ];
  shapes[randomInt(shapes.length)]();
  return payload;
}

function payloadTypes(answer: string): { h264: number; opus: number } {
  const h264 = /a=rtpmap:(\d+) H264\/90000/i.exec(answer)?.[1];
  const opus = /a=rtpmap:(\d+) opus\/48000/i.exec(answer)?.[1];
  if (!h264 || !opus) throw new Error(`answer without H.264 and Opus: ${answer}`);
  return { h264: Number(h264), opus: Number(opus) };
}

function rtpHeader(payloadType: number, sequence: number, timestamp: number, ssrc: number, marker: boolean): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = (marker ? 0x80 : 0) | payloadType;
  header.writeUInt16BE(sequence & 0xffff, 2);
  header.writeUInt32BE(timestamp >>> 0, 4);
  header.writeUInt32BE(ssrc >>> 0, 8);
  return header;
}

function ssrcOf(offer: string, media: 'video' | 'audio'): number {
  const section = offer.split('m=').find((s) => s.startsWith(media)) ?? '';
  return Number(/a=ssrc:(\d+)/.exec(section)?.[1] ?? 0);
}

const MAX_CONNECTING = 6;

describe('WebRTC port: malformed input from the LAN', () => {
  let env: RunningServer;
  let server: { address: string; port: number };
  const api = (path: string) => env.apiUrl(path);

  async function clients(): Promise<ClientRow[]> {
    const body = (await (await fetch(api('/api/v1/clients'))).json()) as { clients: ClientRow[] };
    return body.clients;
  }

  async function signal(kind: 'whip' | 'whep', stream: string, peer: RtcTestPeer): Promise<Response> {
    return fetch(api(`/rtc/v1/${kind}/?app=live&stream=${stream}`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: peer.offer(),
    });
  }

  async function whipPublisher(stream: string) {
    const peer = await RtcTestPeer.create('whip');
    const response = await signal('whip', stream, peer);
    const answer = await response.text();
    expect(response.status, answer).toBe(201);
    await peer.connect(answer, server);
    return { peer, answer };
  }

  beforeAll(async () => {
    env = await startTestServer('rtc-fuzz', { rtc: { candidates: ['127.0.0.1'], maxConnecting: MAX_CONNECTING } });
    const port = env.server.rtc?.rtcTransport?.udpAddress.port;
    if (!port) throw new Error('no WebRTC port');
    server = { address: '127.0.0.1', port };
  }, 30_000);

  afterAll(async () => {
    await env?.close();
  });

  it('random and half-valid datagrams from strangers are dropped; the session on the port keeps going', async () => {
    const { peer } = await whipPublisher('stranger');
    const stranger = createSocket('udp4');
    await new Promise<void>((r) => stranger.bind(0, '127.0.0.1', r));
    const makers = [classedGarbage, lyingStun, garbageDtlsRecord];
    for (let i = 0; i < 3000; i++) {
      stranger.send(makers[i % makers.length](), server.port, server.address);
      if (i % 200 === 199) await new Promise((r) => setTimeout(r, 5));
    }
    stranger.send(Buffer.alloc(0), server.port, server.address);
    await new Promise((r) => setTimeout(r, 300));
    stranger.close();
    const stats = env.server.rtc?.rtcTransport?.udpStats;
    expect(stats?.unknownAddress ?? 0).toBeGreaterThan(0);
    expect(stats?.unclassified ?? 0).toBeGreaterThan(0);
    // An operator sees the same drops on /metrics.
    const metrics = await (await fetch(api('/metrics'))).text();
    const unknown = /tally_udp_listener_events_total\{listener="rtc",event="unknown_address"\} (\d+)/.exec(metrics);
    expect(Number(unknown?.[1])).toBe(stats?.unknownAddress);
    peer.keepAlive();
    const rows = await clients();
    expect(rows.some((c) => c.publish && c.name === 'stranger')).toBe(true);
    peer.close();
  });

  it("garbage DTLS, SRTP and SRTCP from a connected peer's own address is dropped without ending its session", async () => {
    const { peer } = await whipPublisher('own-address');
    for (let i = 0; i < 1500; i++) {
      const which = i % 3;
      if (which === 0) peer.sendRaw(garbageDtlsRecord());
      else if (which === 1) peer.sendRaw(Buffer.concat([Buffer.from([0x80, 96]), randomBuffer(randomInt(1300))]));
      else peer.sendRaw(Buffer.concat([Buffer.from([0x80, 200 + randomInt(7)]), randomBuffer(randomInt(200))]));
      if (i % 150 === 149) await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 300));
    peer.keepAlive();
    const rows = await clients();
    expect(rows.some((c) => c.publish && c.name === 'own-address')).toBe(true);
    peer.close();
  });

  it('well-encrypted RTP carrying broken H.264 and Opus leaves the server serving, and a viewer still joins', async () => {
    const { peer, answer } = await whipPublisher('bad-payloads');
    const pt = payloadTypes(answer);
    const videoSsrc = ssrcOf(peer.offer(), 'video');
    const audioSsrc = ssrcOf(peer.offer(), 'audio');
    let seq = randomInt(0x10000);
    let aseq = randomInt(0x10000);
    for (let i = 0; i < 1500; i++) {
      const ts = i * 3000;
      peer.sendRtp(rtpHeader(pt.h264, seq++, ts, videoSsrc, rng() < 0.3), badH264Payload());
      if (i % 3 === 0)
        peer.sendRtp(rtpHeader(pt.opus, aseq++, i * 960, audioSsrc, false), randomBuffer(randomInt(400)));
      // Sequence and timestamp jumps, as a broken or hostile sender makes them.
      if (i % 97 === 0) seq += randomInt(30000);
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 500));
    peer.keepAlive();
    expect((await clients()).some((c) => c.publish && c.name === 'bad-payloads')).toBe(true);
    const streams = await (await fetch(api('/api/v1/streams'))).json();
    expect(streams).toHaveProperty('streams');
    // A viewer of the same stream still gets an answer and completes ICE and DTLS.
    const viewer = await RtcTestPeer.create('whep');
    const response = await signal('whep', 'bad-payloads', viewer);
    const viewerAnswer = await response.text();
    expect(response.status, viewerAnswer).toBe(201);
    await viewer.connect(viewerAnswer, server);
    const viewers = (await clients()).filter((c) => !c.publish && c.name === 'bad-payloads');
    expect(viewers.map((c) => c.protocol)).toEqual(['whep']);
    viewer.close();
    peer.close();
  });

  it('broken ICE-TCP framing is closed, one connection at a time, and the port still takes sessions', async () => {
    const sends: Buffer[] = [
      randomBuffer(5000),
      Buffer.from([0xff, 0xff, 0x00, 0x01]), // a frame that says 65535 bytes and stops
      Buffer.from([0x00, 0x00]), // an empty frame
      Buffer.concat([Buffer.from([0x00, 0x40]), lyingStun().subarray(0, 64)]), // a framed STUN lie
      Buffer.concat([Buffer.from([0x00, 0x20]), randomBuffer(32), Buffer.from([0x00, 0x10]), garbageDtlsRecord()]),
    ];
    for (const data of sends) {
      await new Promise<void>((resolve) => {
        const socket = connect(server.port, server.address, () => {
          socket.write(data);
          setTimeout(() => socket.destroy(), 200);
        });
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
      });
    }
    // Many connections at once that never speak.
    const silent = Array.from({ length: 50 }, () => connect(server.port, server.address));
    await new Promise((r) => setTimeout(r, 300));
    for (const s of silent) s.destroy();
    const { peer } = await whipPublisher('after-tcp');
    expect((await clients()).some((c) => c.publish && c.name === 'after-tcp')).toBe(true);
    peer.close();
  });

  it('offers that never connect are capped by rtc.maxConnecting with a 503; ending one makes room', async () => {
    const pending: string[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < MAX_CONNECTING + 1 && !refused; i++) {
      const response = await signal('whip', `flood${i}`, await RtcTestPeer.create('whip'));
      if (response.status === 201) pending.push(response.headers.get('location') ?? '');
      else refused = response;
    }
    expect(pending).toHaveLength(MAX_CONNECTING);
    expect(refused?.status).toBe(503);
    expect(await refused?.text()).toMatch(/rtc\.maxConnecting/);
    const ended = await fetch(new URL(pending[0], api('/')), { method: 'DELETE' });
    expect(ended.status).toBe(200);
    const again = await signal('whip', 'flood-again', await RtcTestPeer.create('whip'));
    expect(again.status).toBe(201);
    for (const location of [...pending.slice(1), again.headers.get('location') ?? '']) {
      await fetch(new URL(location, api('/')), { method: 'DELETE' });
    }
  });
});
