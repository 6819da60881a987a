import { describe, expect, it } from 'vitest';
import { joinLengthPrefixed } from '../../codec/nal/length-prefixed.js';
import { H264RtpFormat } from '../../formats/rtp/h264-rtp-format.js';
import { SharedPacket } from '../../hub/wire-format.js';
import { makeNal } from '../../protocol/rtp/h264-test-support.js';
import { type RtcpPacket, type RtcpSenderReport, unixMsFromNtp } from '../../protocol/rtp/index.js';
import type { CreatedRtcSession } from './rtc-transport.js';
import { MAX_RESEND_CREDIT, WhepPlaySink } from './whep-play-sink.js';

function fakeViewer() {
  const sent: { header: Buffer; payload: Buffer }[] = [];
  const rtcp: RtcpPacket[][] = [];
  const session = {
    state: 'connected',
    pendingBytes: () => 777,
    sendRtcp: (packets: RtcpPacket[]) => {
      rtcp.push(packets);
      return true;
    },
    sendRtp: (header: Buffer, payload: Buffer) => {
      sent.push({ header, payload });
      return true;
    },
  };
  const created = {
    session,
    negotiated: { video: { payloadType: 102 }, audio: { payloadType: 111 } },
    send: { video: { ssrc: 0xaaaa }, audio: { ssrc: 0xbbbb } },
  } as unknown as CreatedRtcSession;
  return { created, sent, session, rtcp };
}

function frames(format: H264RtpFormat, n: number, at = 0): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const p = new SharedPacket({
      track: 1,
      kind: 'video',
      codec: 'h264',
      dts: (at + i) * 33,
      pts: (at + i) * 33,
      keyframe: false,
      sequenceHeader: false,
      payload: joinLengthPrefixed([makeNal(1, 100, i)]),
    });
    out.push(...p.packetsFor(format));
  }
  return out;
}

describe('WhepPlaySink', () => {
  it("gives each shared payload the viewer's SSRC, payload type and consecutive numbers, closing source gaps", () => {
    const { created, sent } = fakeViewer();
    const sink = new WhepPlaySink(created, () => {});
    const format = new H264RtpFormat();
    const all = frames(format, 6);
    sink.writePackets(all.slice(0, 2));
    sink.writePackets(all.slice(4)); // the hub dropped two (to a keyframe)
    expect(sent).toHaveLength(4);
    const seqs = sent.map((s) => s.header.readUInt16BE(2));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe((seqs[i - 1] + 1) & 0xffff);
    expect(sent.every((s) => s.header.readUInt32BE(8) === 0xaaaa && (s.header[1] & 0x7f) === 102)).toBe(true);
    expect(sent[0].payload.buffer).toBe(all[0].buffer); // no copy of the payload
    expect(sink.backlog()).toBe(777);
  });

  it('sends nothing before the session is connected, and ends once', () => {
    const { created, sent, session } = fakeViewer();
    session.state = 'handshaking';
    const reasons: string[] = [];
    const sink = new WhepPlaySink(created, (r) => reasons.push(r));
    sink.writePackets(frames(new H264RtpFormat(), 2));
    expect(sent).toHaveLength(0);
    sink.destroy('stuck');
    sink.end();
    expect(reasons).toEqual(['stuck']);
  });

  it('answers a NACK with the very packets the viewer lost, and ignores ones it no longer has', () => {
    const { created, sent } = fakeViewer();
    const sink = new WhepPlaySink(created, () => {});
    sink.writePackets(frames(new H264RtpFormat(), 5));
    const lost = [sent[1], sent[3]].map((s) => s.header.readUInt16BE(2));
    sink.onRtcp([{ type: 'nack', senderSsrc: 1, mediaSsrc: 0xaaaa, lost: [...lost, (lost[0] + 30000) & 0xffff] }]);
    expect(sink.retransmitted).toBe(2);
    expect(sent.slice(5).map((s) => s.header)).toEqual([sent[1].header, sent[3].header]);
    // The very payload: the same bytes of the stream's shared packet, not a copy.
    expect(sent[6].payload.equals(sent[3].payload)).toBe(true);
    expect(sent[6].payload.buffer).toBe(sent[3].payload.buffer);
    expect(sent[6].payload.byteOffset).toBe(sent[3].payload.byteOffset);
    // A NACK for another SSRC is not ours to answer.
    sink.onRtcp([{ type: 'nack', senderSsrc: 1, mediaSsrc: 0x1234, lost }]);
    expect(sink.retransmitted).toBe(2);
  });

  it('resends a packet once per RTCP datagram, and never more than the stream sent plus the credit', () => {
    const { created, sent } = fakeViewer();
    const sink = new WhepPlaySink(created, () => {});
    sink.writePackets(frames(new H264RtpFormat(), 5));
    const one = sent[2].header.readUInt16BE(2);
    const nack = { type: 'nack' as const, senderSsrc: 1, mediaSsrc: 0xaaaa, lost: [one, one, one] };
    sink.onRtcp([nack, nack]);
    expect(sink.retransmitted).toBe(1);
    // A viewer that NACKs without end: the budget runs out, and each packet sent adds one resend to it.
    for (let i = 0; i < 2 * MAX_RESEND_CREDIT; i++) sink.onRtcp([nack]);
    expect(sink.retransmitted).toBe(MAX_RESEND_CREDIT);
    expect(sink.resendsRefused).toBeGreaterThan(0);
    const before = sink.sent;
    sink.writePackets(frames(new H264RtpFormat(), 3));
    const added = sink.sent - before;
    for (let i = 0; i < 100; i++) sink.onRtcp([nack]);
    expect(sink.retransmitted).toBe(MAX_RESEND_CREDIT + added);
  });

  it('sends a sender report mapping the wall clock to the RTP time of what was sent', () => {
    const { created, sent, rtcp } = fakeViewer();
    let now = 1_700_000_000_000;
    const sink = new WhepPlaySink(
      created,
      () => {},
      () => now,
    );
    sink.writePackets(frames(new H264RtpFormat(), 10));
    now += 500;
    sink.sendReports();
    const [sr] = rtcp[0] as RtcpSenderReport[];
    expect(sr.ssrc).toBe(0xaaaa);
    expect(sr.packetCount).toBe(sent.length);
    expect(unixMsFromNtp({ seconds: sr.ntpSeconds, fraction: sr.ntpFraction })).toBeCloseTo(now, -1);
    // The last frame went out at pts 297 ms; half a second later the clock stands 45,000 ticks further.
    const last = sent[sent.length - 1].header.readUInt32BE(4);
    expect((sr.rtpTimestamp - last) >>> 0).toBe(500 * 90);
  });
});
