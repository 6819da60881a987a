import { type TsDemuxEvent, TsDemuxer, type TsDemuxStats, type TsDemuxStream } from '../../codec/mpegts/demuxer.js';
import { parseOpusAccessUnits } from '../../codec/mpegts/opus-access-unit.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import { AudioNormalizer, type AudioNormalizerStats, type IngestAudioCodec } from '../../ingest/audio-normalizer.js';
import {
  IngestClock,
  type IngestClockOptions,
  type TrackClock,
  TS_CLOCK_RATE,
  TS_TIMESTAMP_WRAP,
} from '../../ingest/clock.js';
import { DropCounter, type IngestDropCounts } from '../../ingest/drop-counter.js';
import { type IngestVideoCodec, VideoNormalizer, type VideoNormalizerStats } from '../../ingest/video-normalizer.js';

export interface TsIngestOptions {
  /** Largest PES reassembled (the demuxer's limit). */
  maxPesSize?: number;
  /** Restart detection and epoch gap of the ingest clock. */
  clock?: IngestClockOptions;
}

export interface TsIngestTrack {
  pid: number;
  codec: IngestVideoCodec | IngestAudioCodec;
}

export interface TsIngestStats {
  demux: TsDemuxStats;
  /** PES packets of the ingested tracks read from the demuxer. */
  pes: number;
  /** PES packets on streams we do not ingest (a second video, unknown codecs, data). */
  ignoredPes: number;
  /** MediaPackets emitted, sequence headers included. */
  packets: number;
  /** Times the timeline started over because timestamps jumped (a restarted sender). */
  restarts: number;
  /** Times the program's streams changed after the first PMT (a new sender, or a new program). */
  streamChanges: number;
  /** Of the current normalizers (they are replaced when the streams change). */
  video?: VideoNormalizerStats;
  audio?: AudioNormalizerStats;
  /** Everything dropped after demuxing, by reason, across all normalizers so far. */
  dropped: IngestDropCounts;
}

interface VideoTrack {
  stream: TsDemuxStream;
  codec: IngestVideoCodec;
  clock: TrackClock;
  normalizer: VideoNormalizer;
}

interface AudioTrack {
  stream: TsDemuxStream;
  codec: IngestAudioCodec;
  clock: TrackClock;
  normalizer: AudioNormalizer;
}

/**
 * MPEG-TS (UDP, SRT, a file) to MediaPackets: the TS demuxer's streams and PES, through the ingest clock and the
 * video/audio normalizers. Ingests the first video (H.264, HEVC) and the first audio (AAC, MP3, Opus) stream of
 * the program. A restarted sender is followed: new PAT/PMT streams replace the tracks and start a new clock
 * epoch; a jump back in timestamps starts one too; either way output timestamps stay monotonic and video waits
 * for its next keyframe. Lost data (continuity errors, PES that do not parse) is dropped and counted, never
 * thrown. Bytes may be pushed in any split; the output is the same.
 */
export class TsIngest {
  private readonly demuxer: TsDemuxer;
  private readonly clock: IngestClock;
  private readonly drops = new DropCounter();
  private video: VideoTrack | undefined;
  private audio: AudioTrack | undefined;
  private streamsSeen = false;
  private epochJumps = 0;
  private counters = { pes: 0, ignoredPes: 0, packets: 0, streamChanges: 0 };

  constructor(options: TsIngestOptions = {}) {
    this.demuxer = new TsDemuxer(options.maxPesSize === undefined ? {} : { maxPesSize: options.maxPesSize });
    this.clock = new IngestClock(options.clock);
  }

  push(bytes: Buffer): MediaPacket[] {
    return this.handle(this.demuxer.push(bytes));
  }

  /** Ends the input: the demuxer's open PES (the last video AU) comes out. */
  flush(): MediaPacket[] {
    return this.handle(this.demuxer.flush());
  }

  get tracks(): { video?: TsIngestTrack; audio?: TsIngestTrack } {
    const tracks: { video?: TsIngestTrack; audio?: TsIngestTrack } = {};
    if (this.video) tracks.video = { pid: this.video.stream.pid, codec: this.video.codec };
    if (this.audio) tracks.audio = { pid: this.audio.stream.pid, codec: this.audio.codec };
    return tracks;
  }

  get stats(): TsIngestStats {
    const stats: TsIngestStats = {
      demux: this.demuxer.stats,
      ...this.counters,
      restarts: this.clock.jumps,
      dropped: this.drops.snapshot(),
    };
    if (this.video) stats.video = this.video.normalizer.stats;
    if (this.audio) stats.audio = this.audio.normalizer.stats;
    return stats;
  }

  private handle(events: TsDemuxEvent[]): MediaPacket[] {
    const out: MediaPacket[] = [];
    for (const event of events) {
      if (event.type === 'streams') this.streams(event.streams);
      else {
        const track = this.trackOf(event.pid);
        if (!track) {
          this.counters.ignoredPes++;
          continue;
        }
        this.counters.pes++;
        for (const p of this.pes(track, event.data, event.pts, event.dts)) {
          const time = track.clock.settle(p.dts, p.pts);
          p.dts = time.dts;
          p.pts = time.pts;
          out.push(p);
          this.counters.packets++;
        }
      }
    }
    return out;
  }

  private streams(streams: readonly TsDemuxStream[]): void {
    if (this.streamsSeen) {
      this.counters.streamChanges++;
      this.clock.restart();
    }
    this.streamsSeen = true;
    const video = streams.find((s) => s.codec === 'h264' || s.codec === 'hevc');
    const audio = streams.find((s) => s.codec === 'aac' || s.codec === 'mp3' || s.codec === 'opus');
    // Every track gets a fresh clock so the new epoch is shared; normalizers survive when their stream did.
    this.video = video && this.videoTrack(video);
    this.audio = audio && this.audioTrack(audio);
  }

  private videoTrack(stream: TsDemuxStream): VideoTrack {
    const codec = stream.codec as IngestVideoCodec;
    const old = this.video;
    const clock = this.clock.track(TS_CLOCK_RATE, TS_TIMESTAMP_WRAP, old?.clock);
    if (old && old.stream.pid === stream.pid && old.codec === codec) {
      old.normalizer.reset();
      return { stream, codec, clock, normalizer: old.normalizer };
    }
    return { stream, codec, clock, normalizer: new VideoNormalizer({ codec, drops: this.drops }) };
  }

  private audioTrack(stream: TsDemuxStream): AudioTrack {
    const codec = stream.codec as IngestAudioCodec;
    const old = this.audio;
    const clock = this.clock.track(TS_CLOCK_RATE, TS_TIMESTAMP_WRAP, old?.clock);
    if (old && old.stream.pid === stream.pid && old.codec === codec && old.stream.channels === stream.channels) {
      return { stream, codec, clock, normalizer: old.normalizer };
    }
    const options = {
      codec,
      drops: this.drops,
      ...(stream.channels === undefined ? {} : { opusChannels: stream.channels }),
    };
    return { stream, codec, clock, normalizer: new AudioNormalizer(options) };
  }

  private trackOf(pid: number): VideoTrack | AudioTrack | undefined {
    if (this.video?.stream.pid === pid) return this.video;
    return this.audio?.stream.pid === pid ? this.audio : undefined;
  }

  private pes(
    track: VideoTrack | AudioTrack,
    data: Buffer,
    pts: number | undefined,
    dts: number | undefined,
  ): MediaPacket[] {
    const time = pts === undefined ? undefined : track.clock.convert(dts ?? pts, pts);
    if (time === undefined) {
      this.drops.count('bad-timestamp');
      return [];
    }
    if (this.clock.jumps !== this.epochJumps) {
      // The sender restarted: its first frames may reference pictures we never saw.
      this.epochJumps = this.clock.jumps;
      this.video?.normalizer.reset();
    }
    if (track === this.video) return this.video.normalizer.pushAnnexB(data, time.dts, time.pts);
    const audio = track as AudioTrack;
    if (audio.codec !== 'opus') return audio.normalizer.push(data, time.pts);
    let units: ReturnType<typeof parseOpusAccessUnits>;
    try {
      units = parseOpusAccessUnits(data);
    } catch {
      this.drops.count('malformed');
      return [];
    }
    return audio.normalizer.pushOpus(
      units.map((u) => u.packet),
      time.pts,
    );
  }
}
