import { type PsDemuxEvent, PsDemuxer, type PsDemuxStats, type PsFrameEvent } from '../../codec/ps/demuxer.js';
import { isVideoCodec, type PsAudioCodec, type PsVideoCodec } from '../../codec/ps/stream-type.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import { AudioNormalizer, type AudioNormalizerStats } from '../../ingest/audio-normalizer.js';
import { IngestClock, type TrackClock, TS_CLOCK_RATE, TS_TIMESTAMP_WRAP } from '../../ingest/clock.js';
import { DropCounter, type IngestDropCounts } from '../../ingest/drop-counter.js';
import { VideoNormalizer, type VideoNormalizerStats } from '../../ingest/video-normalizer.js';

/** G.711 samples as they came (8 kHz, one byte a sample), for a transcoder to turn into AAC. */
export interface PsG711Chunk {
  codec: 'g711a' | 'g711u';
  /** Milliseconds on the stream's timeline (the same clock as the packets). */
  pts: number;
  samples: Buffer;
}

export interface PsIngestStats {
  demux: PsDemuxStats;
  packets: number;
  /** Frames of streams we do not ingest (a second video, a second audio). */
  ignoredFrames: number;
  g711Bytes: number;
  video?: VideoNormalizerStats;
  audio?: AudioNormalizerStats;
  dropped: IngestDropCounts;
}

/**
 * MPEG program stream (GB28181 media) to MediaPackets: the PS demuxer's frames through the ingest clock and
 * the video/audio normalizers. Takes the first video (H.264, HEVC) and the first audio stream: AAC becomes
 * packets, G.711 is handed to `onG711` (no player in the hub's formats plays it; the server transcodes it).
 * Never throws on bad input; lost input (an RTP gap) is announced with discontinuity().
 */
export class PsIngest {
  private readonly demuxer = new PsDemuxer();
  private readonly clock = new IngestClock();
  private readonly drops = new DropCounter();
  private video?: { streamId: number; codec: PsVideoCodec; clock: TrackClock; normalizer: VideoNormalizer };
  private audio?: { streamId: number; codec: PsAudioCodec; clock: TrackClock; normalizer?: AudioNormalizer };
  private counters = { packets: 0, ignoredFrames: 0, g711Bytes: 0 };

  constructor(private readonly onG711: (chunk: PsG711Chunk) => void = () => {}) {}

  push(bytes: Buffer): MediaPacket[] {
    return this.handle(this.demuxer.push(bytes));
  }

  /** Input was lost before the next push: the demuxer resyncs and drops the pictures that were cut. */
  discontinuity(): MediaPacket[] {
    return this.handle(this.demuxer.discontinuity());
  }

  get codecs(): { video?: PsVideoCodec; audio?: PsAudioCodec } {
    return { video: this.video?.codec, audio: this.audio?.codec };
  }

  get stats(): PsIngestStats {
    const stats: PsIngestStats = { demux: this.demuxer.stats, ...this.counters, dropped: this.drops.snapshot() };
    if (this.video) stats.video = this.video.normalizer.stats;
    if (this.audio?.normalizer) stats.audio = this.audio.normalizer.stats;
    return stats;
  }

  private handle(events: PsDemuxEvent[]): MediaPacket[] {
    const out: MediaPacket[] = [];
    for (const event of events) if (event.type === 'frame') this.frame(event, out);
    return out;
  }

  private frame(event: PsFrameEvent, out: MediaPacket[]): void {
    if (event.pts === undefined) {
      this.drops.count('bad-timestamp');
      return;
    }
    if (event.kind === 'video' && isVideoCodec(event.codec)) {
      const track = this.videoTrack(event.streamId, event.codec);
      if (!track) return;
      const time = track.clock.convert(event.dts ?? event.pts, event.pts);
      if (!time) return void this.drops.count('bad-timestamp');
      this.settle(track.clock, track.normalizer.pushAnnexB(event.data, time.dts, time.pts), out);
      return;
    }
    if (isVideoCodec(event.codec)) return;
    const track = this.audioTrack(event.streamId, event.codec);
    if (!track) return;
    const time = track.clock.convert(event.pts);
    if (!time) return void this.drops.count('bad-timestamp');
    if (track.normalizer) {
      this.settle(track.clock, track.normalizer.push(event.data, time.pts), out);
      return;
    }
    const settled = track.clock.settle(time.dts, time.pts);
    this.counters.g711Bytes += event.data.length;
    this.onG711({ codec: track.codec as 'g711a' | 'g711u', pts: settled.pts, samples: event.data });
  }

  private settle(clock: TrackClock, packets: MediaPacket[], out: MediaPacket[]): void {
    for (const p of packets) {
      const time = clock.settle(p.dts, p.pts);
      p.dts = time.dts;
      p.pts = time.pts;
      out.push(p);
      this.counters.packets++;
    }
  }

  private videoTrack(streamId: number, codec: PsVideoCodec) {
    const current = this.video;
    if (current && current.streamId === streamId && current.codec === codec) return current;
    if (current && current.streamId !== streamId) {
      this.counters.ignoredFrames++;
      return undefined;
    }
    // First video, or the camera switched codec on the same stream id (a settings change): start it over.
    const clock = this.clock.track(TS_CLOCK_RATE, TS_TIMESTAMP_WRAP, current?.clock);
    this.video = { streamId, codec, clock, normalizer: new VideoNormalizer({ codec, drops: this.drops }) };
    return this.video;
  }

  private audioTrack(streamId: number, codec: PsAudioCodec) {
    const current = this.audio;
    if (current && current.streamId === streamId && current.codec === codec) return current;
    if (current && current.streamId !== streamId) {
      this.counters.ignoredFrames++;
      return undefined;
    }
    const clock = this.clock.track(TS_CLOCK_RATE, TS_TIMESTAMP_WRAP, current?.clock);
    const normalizer = codec === 'aac' ? new AudioNormalizer({ codec: 'aac', drops: this.drops }) : undefined;
    this.audio = { streamId, codec, clock, normalizer };
    return this.audio;
  }
}
