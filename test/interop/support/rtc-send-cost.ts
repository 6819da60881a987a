/**
 * Fan-out cost of the transport alone, SRS-style: N viewers (Node peers with werift-dtls, in a child
 * process so their CPU is not counted) each get a 2.15 Mbps stream (217 video packets of 1200 B and 50 Opus
 * packets of 120 B per second) through session.sendRtp on the one UDP socket. Prints server CPU-s per
 * viewer-second, µs per packet and the share of packets the viewers received.
 *   npx tsx test/interop/support/rtc-send-cost.ts [viewers=20] [seconds=10] [profile=1|7]
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { RtpHeaderRewriter } from '../../../server-core/protocol/rtp/index.js';
import { type RtcSession, RtcTransport } from '../../../server-core/servers/rtc/index.js';
import type { SrtpProfileId } from '../../../server-core/servers/rtc/srtp-context.js';
import { RtcTestPeer } from './rtc-test-peer.js';

type ToChild = { answers: string[]; port: number } | { report: true };
type ToParent = { offers: string[] } | { connected: true } | { received: number; bytes: number };

if (process.argv[2] === '--viewers') {
  // Child: the viewers.
  const count = Number(process.argv[3]);
  const certificate = (await RtcTestPeer.create()).certificate;
  const peers = Array.from({ length: count }, () => new RtcTestPeer(certificate, 'whep'));
  const send = (m: ToParent) => process.send?.(m);
  process.on('message', async (m: ToChild) => {
    if ('answers' in m) {
      for (let i = 0; i < peers.length; i++) {
        peers[i].decrypt = false;
        await peers[i].connect(m.answers[i], { address: '127.0.0.1', port: m.port });
      }
      setInterval(() => {
        for (const p of peers) p.keepAlive();
      }, 5000).unref();
      send({ connected: true });
    } else {
      send({
        received: peers.reduce((n, p) => n + p.rtpReceived, 0),
        bytes: peers.reduce((n, p) => n + p.bytesReceived, 0),
      });
      for (const p of peers) p.close();
      process.exit(0);
    }
  });
  send({ offers: peers.map((p) => p.offer()) });
} else {
  const viewers = Number(process.argv[2] ?? 20);
  const seconds = Number(process.argv[3] ?? 10);
  const profile = Number(process.argv[4] ?? 1) as SrtpProfileId;
  const transport = new RtcTransport({
    host: '127.0.0.1',
    port: 0,
    tcp: false,
    srtpProfiles: [profile],
    sendBufferSize: 4 * 1024 * 1024,
  });
  await transport.start();
  const child = fork(fileURLToPath(import.meta.url), ['--viewers', String(viewers)], { execArgv: ['--import', 'tsx'] });
  const next = () => new Promise<ToParent>((resolve) => child.once('message', (m) => resolve(m as ToParent)));
  const first = await next();
  if (!('offers' in first)) throw new Error('expected offers');
  const sessions: { session: RtcSession; video: RtpHeaderRewriter; audio: RtpHeaderRewriter }[] = [];
  const answers: string[] = [];
  for (const offer of first.offers) {
    const created = transport.createSession({ offer, role: 'whep' });
    answers.push(created.answer);
    sessions.push({
      session: created.session,
      video: new RtpHeaderRewriter({
        ssrc: created.send.video?.ssrc ?? 1,
        payloadType: created.negotiated.video?.payloadType ?? 96,
      }),
      audio: new RtpHeaderRewriter({
        ssrc: created.send.audio?.ssrc ?? 2,
        payloadType: created.negotiated.audio?.payloadType ?? 111,
      }),
    });
  }
  const connected = next();
  child.send({ answers, port: transport.udpAddress.port });
  await connected;
  for (let t = 0; t < 100 && sessions.some((s) => s.session.state !== 'connected'); t++)
    await new Promise((r) => setTimeout(r, 20));
  const videoPayload = randomBytes(1200);
  const audioPayload = randomBytes(120);
  let seq = 0;
  let audioSeq = 0;
  let packets = 0;
  const start = process.cpuUsage();
  const startWall = Date.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = (Date.now() - startWall) / 1000;
      const videoCount = Math.round(elapsed * 217) - seq;
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
      const audioCount = Math.round(elapsed * 50) - audioSeq;
      for (let a = 0; a < audioCount; a++) {
        audioSeq++;
        const src = {
          sequenceNumber: audioSeq & 0xffff,
          timestamp: audioSeq * 960,
          marker: false,
          payload: audioPayload,
        };
        for (const s of sessions) if (s.session.sendRtp(s.audio.header(src), src.payload)) packets++;
      }
      if (elapsed >= seconds) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  const used = process.cpuUsage(start);
  const wall = (Date.now() - startWall) / 1000;
  await new Promise((r) => setTimeout(r, 300));
  const reportReply = next();
  child.send({ report: true });
  const report = await reportReply;
  const cpu = (used.user + used.system) / 1e6;
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
      delivered: 'received' in report ? report.received / packets : undefined,
      sendErrors: transport.udpStats?.sendErrors,
    }),
  );
  transport.close();
}
