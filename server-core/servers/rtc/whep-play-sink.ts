import {
  readSharedRtpPacket,
  SHARED_RTP_HEADER_SIZE,
  type SharedRtpKind,
  type SharedRtpPacket,
} from '../../formats/rtp/h264-rtp-format.js';
import type { ReaderSink } from '../../hub/reader-sink.js';
import { ntpFromUnixMs, type RtcpPacket, RtpHeaderRewriter, seqAdd } from '../../protocol/rtp/index.js';
import type { CreatedRtcSession } from './rtc-transport.js';
import { RtpSendHistory } from './rtp-send-history.js';

/** RTP clock ticks per ms of each kind (H.264 90 kHz, Opus 48 kHz). */
const TICKS_PER_MS: Record<SharedRtpKind, number> = { video: 90, audio: 48 };
/** Retransmissions answered per NACK at most: a viewer cannot make us burst. */
export const MAX_RETRANSMITS_PER_NACK = 64;
/**
 * Resends are paid from a budget that each packet sent adds one to (at most this many saved up): a viewer can
 * recover heavy loss, but NACKs can never make us send it more than twice its stream.
 */
export const MAX_RESEND_CREDIT = 1024;

interface KindState {
  rewriter: RtpHeaderRewriter;
  ssrc: number;
  history: RtpSendHistory;
  packets: number;
  octets: number;
}

/**
 * The hub's sink for one WHEP viewer: each shared RTP payload of the stream (H264RtpFormat, encoded once) gets
 * this viewer's header (its SSRC, payload type, random sequence/timestamp offsets) and goes out through SRTP.
 * Packets before the session is connected are dropped (the viewer's PLI brings the next keyframe). A gap in the
 * source numbers (the hub dropped this reader to a keyframe) is closed so the viewer does not NACK what it never
 * needs. backlog() is the shared socket's queue for this peer.
 */
export class WhepPlaySink implements ReaderSink {
  private readonly kinds: Partial<Record<SharedRtpKind, KindState>> = {};
  private readonly lastSource: Partial<Record<SharedRtpKind, number>> = {};
  /** The stream's media time (ms) of the last packet sent and when it was sent: what sender reports map. */
  private clock?: { mediaMs: number; sentAt: number; kind: SharedRtpKind };
  private ended = false;
  sent = 0;
  retransmitted = 0;
  /** Resends a NACK asked for that the budget refused. */
  resendsRefused = 0;
  private resendCredit = MAX_RESEND_CREDIT;

  constructor(
    private readonly created: CreatedRtcSession,
    private readonly onEnd: (reason: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    for (const kind of ['audio', 'video'] as const) {
      const media = created.negotiated[kind];
      const source = created.send[kind];
      if (!media || !source) continue;
      this.kinds[kind] = {
        rewriter: new RtpHeaderRewriter({
          ssrc: source.ssrc,
          payloadType: media.payloadType,
          sequenceOffset: Math.floor(Math.random() * 65536),
          timestampOffset: Math.floor(Math.random() * 2 ** 32),
        }),
        ssrc: source.ssrc,
        history: new RtpSendHistory(),
        packets: 0,
        octets: 0,
      };
    }
  }

  /**
   * A UDP path's queue drains at the kernel's pace, and a send worker's or the shared socket's is every viewer's
   * there: a busy one rarely reads empty, which the stuck rule would take for 400 stalled viewers. A vanished
   * viewer is found by ICE consent instead.
   */
  readonly drainsAtPeerPace = false;

  backlog(): number {
    return this.created.session.pendingBytes();
  }

  write(): void {
    // A packet format only: the hub calls writePackets.
  }

  writePackets(packets: readonly Buffer[]): void {
    const session = this.created.session;
    if (this.ended || session.state !== 'connected') return;
    const now = this.now();
    const parsed = parsedOnce(packets);
    for (let i = 0; i < packets.length; i++) {
      const buffer = packets[i];
      const packet = parsed[i];
      const state = this.kinds[packet.kind];
      if (!state) continue;
      const { rewriter } = state;
      const last = this.lastSource[packet.kind];
      if (last !== undefined && packet.sequenceNumber !== seqAdd(last, 1)) rewriter.continueAt(packet);
      this.lastSource[packet.kind] = packet.sequenceNumber;
      const header = rewriter.header(packet);
      if (!session.sendRtp(header, packet.payload)) continue;
      this.sent++;
      if (this.resendCredit < MAX_RESEND_CREDIT) this.resendCredit++;
      state.packets++;
      state.octets += packet.payload.length;
      state.history.put(rewriter.outputSequence(packet.sequenceNumber), header, buffer, SHARED_RTP_HEADER_SIZE);
      // Video paces the media clock when there is video (audio may arrive late through its transcode).
      if (packet.kind === 'video' || !this.kinds.video || this.clock?.kind !== 'video') {
        this.clock ??= { mediaMs: 0, sentAt: 0, kind: packet.kind };
        const clock = this.clock;
        clock.mediaMs = packet.timestamp / TICKS_PER_MS[packet.kind];
        clock.sentAt = now;
        clock.kind = packet.kind;
      }
    }
  }

  /**
   * Answers the viewer's NACKs from what it was sent: at most MAX_RETRANSMITS_PER_NACK each, a packet once per
   * RTCP datagram however often it is listed, and within the resend budget.
   */
  onRtcp(packets: readonly RtcpPacket[]): void {
    if (this.ended) return;
    let asked: Set<number> | undefined;
    for (const p of packets) {
      if (p.type !== 'nack') continue;
      const state = Object.values(this.kinds).find((k) => k.ssrc === p.mediaSsrc);
      if (!state) continue;
      const track = state === this.kinds.video ? 0x10000 : 0;
      for (const sequence of p.lost.slice(0, MAX_RETRANSMITS_PER_NACK)) {
        asked ??= new Set();
        if (asked.has(track + sequence)) continue;
        asked.add(track + sequence);
        if (this.resendCredit <= 0) {
          this.resendsRefused++;
          continue;
        }
        const kept = state.history.get(sequence);
        if (kept && this.created.session.sendRtp(kept[0], kept[1])) {
          this.retransmitted++;
          this.resendCredit--;
        }
      }
    }
  }

  /**
   * One sender report per SSRC (RFC 3550 6.4.1): the same wall-clock instant in each track's RTP time, so the
   * viewer can play audio and video in sync. Sent about once a second by the server.
   */
  sendReports(): void {
    const clock = this.clock;
    if (this.ended || !clock || this.created.session.state !== 'connected') return;
    const now = this.now();
    const mediaMs = clock.mediaMs + (now - clock.sentAt);
    const ntp = ntpFromUnixMs(now);
    const reports: RtcpPacket[] = [];
    for (const [kind, state] of Object.entries(this.kinds) as [SharedRtpKind, KindState][]) {
      if (state.packets === 0) continue;
      reports.push({
        type: 'sr',
        ssrc: state.ssrc,
        ntpSeconds: ntp.seconds,
        ntpFraction: ntp.fraction,
        rtpTimestamp: state.rewriter.outputTimestamp(Math.round(mediaMs * TICKS_PER_MS[kind])),
        packetCount: state.packets >>> 0,
        octetCount: state.octets >>> 0,
        reports: [],
      });
    }
    if (reports.length) this.created.session.sendRtcp(reports);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd('stream ended');
  }

  destroy(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(reason);
  }
}

/**
 * The hub hands every viewer the same batch array: the first viewer parses it, the others reuse that (a parsed
 * packet and its payload view per packet, not per packet per viewer).
 */
const parsedBatches = new WeakMap<readonly Buffer[], SharedRtpPacket[]>();

function parsedOnce(packets: readonly Buffer[]): SharedRtpPacket[] {
  let parsed = parsedBatches.get(packets);
  if (!parsed) {
    parsed = packets.map(readSharedRtpPacket);
    parsedBatches.set(packets, parsed);
  }
  return parsed;
}
