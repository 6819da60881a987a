import type { Logger } from 'pino';
import { type PsG711Chunk, PsIngest, type PsIngestStats } from '../../formats/ps/to-packets.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import type { RtpPacket } from '../../protocol/rtp/rtp-packet.js';
import { seqAdd } from '../../protocol/rtp/sequence-number.js';
import type { PublishSession } from '../session/session-path.js';
import type { RtpSink } from './media-listener.js';

export interface MediaSessionStats {
  rtpPackets: number;
  /** RTP sequence gaps (each resyncs the PS demuxer). */
  gaps: number;
  ingest: PsIngestStats;
}

/**
 * The media of one INVITE: RTP of one SSRC (any transport) → PS bytes → PsIngest → the stream. Packets that
 * arrive before admission answered are dropped (the stream starts at the next keyframe anyway).
 */
export class MediaSession implements RtpSink {
  private readonly ingest: PsIngest;
  private nextSeq?: number;
  private publish?: PublishSession;
  private counters = { rtpPackets: 0, gaps: 0 };
  /** Where the stream's G.711 goes (a transcoder); dropped without one. */
  onG711?: (chunk: PsG711Chunk) => void;
  /** When the last RTP packet came (ms, from `now`); the start time until the first. */
  lastMediaAt: number;

  constructor(
    readonly ssrc: number,
    private readonly options: {
      now: () => number;
      log: Logger;
      onMediaClosed: () => void;
    },
  ) {
    this.lastMediaAt = options.now();
    this.ingest = new PsIngest((chunk) => this.onG711?.(chunk));
  }

  get stats(): MediaSessionStats {
    return { ...this.counters, ingest: this.ingest.stats };
  }

  get codecs() {
    return this.ingest.codecs;
  }

  get receiving(): boolean {
    return this.counters.rtpPackets > 0;
  }

  attach(publish: PublishSession): void {
    this.publish = publish;
  }

  /** Packets made outside the PS path (transcoded audio) join the stream here. */
  pushPacket(packet: MediaPacket): void {
    this.publish?.source.push(packet);
  }

  rtp(packet: RtpPacket): void {
    this.counters.rtpPackets++;
    this.lastMediaAt = this.options.now();
    let packets: MediaPacket[] = [];
    if (this.nextSeq !== undefined && packet.sequenceNumber !== this.nextSeq) {
      this.counters.gaps++;
      packets = this.ingest.discontinuity();
    }
    this.nextSeq = seqAdd(packet.sequenceNumber, 1);
    packets = packets.concat(this.ingest.push(packet.payload));
    const source = this.publish?.source;
    if (!source) return;
    for (const p of packets) source.push(p);
  }

  mediaClosed(): void {
    this.options.onMediaClosed();
  }

  end(): void {
    this.publish?.end();
    this.publish = undefined;
  }
}
