import { readSharedRtpPacket, type SharedRtpKind } from '../../formats/rtp/h264-rtp-format.js';
import type { ReaderSink } from '../../hub/reader-sink.js';
import { RtpHeaderRewriter, seqAdd } from '../../protocol/rtp/index.js';
import type { CreatedRtcSession } from './rtc-transport.js';

/**
 * The hub's sink for one WHEP viewer: each shared RTP payload of the stream (H264RtpFormat, encoded once) gets
 * this viewer's header (its SSRC, payload type, random sequence/timestamp offsets) and goes out through SRTP.
 * Packets before the session is connected are dropped (the viewer's PLI brings the next keyframe). A gap in the
 * source numbers (the hub dropped this reader to a keyframe) is closed so the viewer does not NACK what it never
 * needs. backlog() is the shared socket's queue for this peer.
 */
export class WhepPlaySink implements ReaderSink {
  private readonly rewriters: Partial<Record<SharedRtpKind, RtpHeaderRewriter>> = {};
  private readonly lastSource: Partial<Record<SharedRtpKind, number>> = {};
  private ended = false;
  sent = 0;

  constructor(
    private readonly created: CreatedRtcSession,
    private readonly onEnd: (reason: string) => void,
  ) {
    for (const kind of ['audio', 'video'] as const) {
      const media = created.negotiated[kind];
      const source = created.send[kind];
      if (!media || !source) continue;
      this.rewriters[kind] = new RtpHeaderRewriter({
        ssrc: source.ssrc,
        payloadType: media.payloadType,
        sequenceOffset: Math.floor(Math.random() * 65536),
        timestampOffset: Math.floor(Math.random() * 2 ** 32),
      });
    }
  }

  backlog(): number {
    return this.created.session.pendingBytes();
  }

  write(): void {
    // A packet format only: the hub calls writePackets.
  }

  writePackets(packets: readonly Buffer[]): void {
    const session = this.created.session;
    if (this.ended || session.state !== 'connected') return;
    for (const buffer of packets) {
      const packet = readSharedRtpPacket(buffer);
      const rewriter = this.rewriters[packet.kind];
      if (!rewriter) continue;
      const last = this.lastSource[packet.kind];
      if (last !== undefined && packet.sequenceNumber !== seqAdd(last, 1)) rewriter.continueAt(packet);
      this.lastSource[packet.kind] = packet.sequenceNumber;
      if (session.sendRtp(rewriter.header(packet), packet.payload)) this.sent++;
    }
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
