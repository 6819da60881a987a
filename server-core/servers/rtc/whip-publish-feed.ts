import { AUDIO_TRACK, type MediaPacket, VIDEO_TRACK } from '../../hub/media-packet.js';
import { AudioNormalizer, DropCounter, VideoNormalizer } from '../../ingest/index.js';
import {
  depacketizeOpus,
  H264Depacketizer,
  OPUS_RTP_CLOCK_RATE,
  type RtpPacket,
  TimestampUnwrapper,
} from '../../protocol/rtp/index.js';

const VIDEO_CLOCK_RATE = 90_000;

/**
 * One RTP track's clock to the stream's milliseconds. WebRTC tracks start at random RTP timestamps and the
 * tracks of a publisher do not share a clock (only RTCP SRs relate them), so each track is anchored at the
 * arrival time of its first packet, relative to the publish start, and runs on its own RTP clock from there.
 */
class RtpTrackClock {
  private readonly unwrapper = new TimestampUnwrapper();
  private first?: { ticks: number; ms: number };
  private last = 0;

  constructor(private readonly rate: number) {}

  toMs(timestamp: number, arrivalMs: number): number {
    const ticks = this.unwrapper.unwrap(timestamp);
    this.first ??= { ticks, ms: arrivalMs };
    const ms = Math.round(this.first.ms + ((ticks - this.first.ticks) * 1000) / this.rate);
    this.last = Math.max(this.last, ms, 0);
    return this.last;
  }
}

/**
 * What a WHIP publisher's decrypted RTP becomes: H.264 (RFC 6184) depacketized into access units, then the
 * video normalizer (length-prefixed NAL units, a synthesized AVC record, keyframes from IDR); Opus packets with
 * an OpusHead sequence header first. Damaged access units (lost packets) are dropped by the normalizer's rules.
 */
export class WhipPublishFeed {
  readonly drops = new DropCounter();
  private readonly depacketizer = new H264Depacketizer();
  private readonly video = new VideoNormalizer({ codec: 'h264', track: VIDEO_TRACK, drops: this.drops });
  private readonly audio = new AudioNormalizer({ codec: 'opus', track: AUDIO_TRACK, drops: this.drops });
  private readonly videoClock = new RtpTrackClock(VIDEO_CLOCK_RATE);
  private readonly audioClock = new RtpTrackClock(OPUS_RTP_CLOCK_RATE);
  /** The publisher's video SSRC (what a PLI names). */
  videoSsrc?: number;
  damagedAccessUnits = 0;

  constructor(
    private readonly emit: (packet: MediaPacket) => void,
    private readonly startedMs: number,
    /** A picture was lost: ask the publisher for a keyframe (the caller throttles). */
    private readonly onPictureLoss: () => void = () => {},
  ) {}

  push(packet: RtpPacket, kind: 'audio' | 'video', nowMs: number): void {
    const arrival = nowMs - this.startedMs;
    if (kind === 'video') {
      this.videoSsrc = packet.ssrc;
      for (const unit of this.depacketizer.push(packet)) {
        if (unit.damaged) {
          this.damagedAccessUnits++;
          this.onPictureLoss();
          continue;
        }
        const ms = this.videoClock.toMs(unit.timestamp, arrival);
        for (const p of this.video.pushNalUnits(unit.nals, ms, ms)) this.emit(p);
      }
      return;
    }
    if (packet.payload.length === 0) return;
    let frame: Buffer;
    try {
      frame = depacketizeOpus(packet.payload);
    } catch {
      this.drops.count('malformed');
      return;
    }
    const ms = this.audioClock.toMs(packet.timestamp, arrival);
    for (const p of this.audio.push(frame, ms)) this.emit(p);
  }
}
