/**
 * Fan-out cost of the transport alone: N sessions (Node peers over loopback, their sockets closed after the
 * handshake so only the server side is measured) each get a 2.15 Mbps stream (217 video packets of 1200 B
 * and 50 Opus packets of 120 B per second) through sendRtp. Prints CPU-s per viewer-second and µs per packet.
 *   npx tsx test/interop/support/rtc-send-cost.ts [viewers=20] [seconds=10] [profile=1|7]
 */
import { randomBytes } from 'node:crypto';
import { RtpHeaderRewriter } from '../../../server-core/protocol/rtp/index.js';
import { RtcTransport } from '../../../server-core/servers/rtc/index.js';
import type { SrtpProfileId } from '../../../server-core/servers/rtc/srtp-context.js';
import { RtcTestPeer } from './rtc-test-peer.js';

const viewers = Number(process.argv[2] ?? 20);
const seconds = Number(process.argv[3] ?? 10);
const profile = Number(process.argv[4] ?? 1) as SrtpProfileId;

const transport = new RtcTransport({ host: '127.0.0.1', port: 0, tcp: false, srtpProfiles: [profile] });
await transport.start();
const certificate = (await RtcTestPeer.create()).certificate;
const sessions: {
  session: import('../../../server-core/servers/rtc/index.js').RtcSession;
  video: RtpHeaderRewriter;
  audio: RtpHeaderRewriter;
}[] = [];
for (let i = 0; i < viewers; i++) {
  const peer = new RtcTestPeer(certificate, 'whep');
  const created = transport.createSession({ offer: peer.offer(), role: 'whep' });
  await peer.connect(created.answer, transport.udpAddress);
  for (let t = 0; t < 50 && created.session.state !== 'connected'; t++) await new Promise((r) => setTimeout(r, 20));
  peer.close();
  const video = new RtpHeaderRewriter({
    ssrc: created.send.video?.ssrc ?? 1,
    payloadType: created.negotiated.video?.payloadType ?? 96,
  });
  const audio = new RtpHeaderRewriter({
    ssrc: created.send.audio?.ssrc ?? 2,
    payloadType: created.negotiated.audio?.payloadType ?? 111,
  });
  sessions.push({ session: created.session, video, audio });
}
const videoPayload = randomBytes(1200);
const audioPayload = randomBytes(120);
let seq = 0;
let packets = 0;
const tickMs = 20;
const start = process.cpuUsage();
const startWall = Date.now();
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    // Per 20 ms: 4.34 video packets (217/s) and 1 audio packet.
    const videoCount = Math.round(((Date.now() - startWall) / 1000) * 217) - seq;
    for (let v = 0; v < videoCount; v++) {
      seq++;
      const src = {
        sequenceNumber: seq & 0xffff,
        timestamp: seq * 400,
        marker: v === videoCount - 1,
        payload: videoPayload,
      };
      for (const s of sessions) if (s.session.sendRtp(s.video.header(src), src.payload)) packets++;
    }
    const a = { sequenceNumber: seq & 0xffff, timestamp: seq * 960, marker: false, payload: audioPayload };
    for (const s of sessions) if (s.session.sendRtp(s.audio.header(a), a.payload)) packets++;
    if (Date.now() - startWall >= seconds * 1000) {
      clearInterval(timer);
      resolve();
    }
  }, tickMs);
});
const used = process.cpuUsage(start);
const cpu = (used.user + used.system) / 1e6;
const wall = (Date.now() - startWall) / 1000;
console.log(
  JSON.stringify({
    viewers,
    profile,
    seconds: wall,
    packets,
    cpuSeconds: cpu,
    userSeconds: used.user / 1e6,
    systemSeconds: used.system / 1e6,
    cpuPerViewerSecond: cpu / (viewers * wall),
    microsecondsPerPacket: (cpu * 1e6) / packets,
    sendErrors: transport.udpStats?.sendErrors,
  }),
);
transport.close();
