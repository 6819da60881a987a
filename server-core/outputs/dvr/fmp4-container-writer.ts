import type { Fmp4Sample, Fmp4Track } from '../../codec/fmp4/index.js';
import { writeInitSegment } from '../../codec/fmp4/init-segment.js';
import { writeMediaSegment } from '../../codec/fmp4/media-segment.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import { describeAudio, describeVideo } from '../../hub/stream-info.js';
import type { SharedPacket } from '../../hub/wire-format.js';
import type { ContainerWriter, RecordingHeaders } from './container-writer.js';

const EMPTY: Buffer = Buffer.alloc(0);
const VIDEO_TIMESCALE = 90_000;
const VIDEO_TRACK = 1;
const AUDIO_TRACK = 2;

interface TrackState {
  track: Fmp4Track;
  /** Samples waiting for the next fragment; the last one waits for its successor to know its duration. */
  pending: { packet: MediaPacket; time: number }[];
  lastDuration: number;
}

/**
 * Fragmented MP4 recordings: an init segment, then a moof+mdat fragment per keyframe (or every
 * `maxFragmentMs`), so a crash loses at most the last fragment and the file still plays.
 */
export class Fmp4ContainerWriter implements ContainerWriter {
  readonly extension = 'mp4';
  private video?: TrackState;
  private audio?: TrackState;
  private base?: number;
  private sequence = 1;
  private fragmentStart?: number;

  constructor(private readonly maxFragmentMs = 2000) {}

  begin(headers: RecordingHeaders): Buffer {
    const tracks: Fmp4Track[] = [];
    const v = headers.videoHeader?.packet;
    if (v && (v.codec === 'h264' || v.codec === 'hevc' || v.codec === 'av1')) {
      const info = describeVideo(v);
      const track: Fmp4Track = {
        id: VIDEO_TRACK,
        kind: 'video',
        codec: v.codec,
        timescale: VIDEO_TIMESCALE,
        config: v.payload,
        width: info.width,
        height: info.height,
      };
      this.video = { track, pending: [], lastDuration: 0 };
      tracks.push(track);
    }
    const a = headers.audioHeader?.packet;
    if (a && (a.codec === 'aac' || a.codec === 'opus')) {
      const info = describeAudio(a);
      const sampleRate = info.sampleRate || 48_000;
      const track: Fmp4Track = {
        id: AUDIO_TRACK,
        kind: 'audio',
        codec: a.codec,
        timescale: sampleRate,
        config: a.payload,
        sampleRate,
        channels: info.channels || 2,
      };
      this.audio = { track, pending: [], lastDuration: 0 };
      tracks.push(track);
    }
    if (tracks.length === 0) throw new Error('nothing to record: no H.264/HEVC/AV1 video or AAC/Opus audio header');
    return writeInitSegment(tracks);
  }

  write(shared: SharedPacket): Buffer {
    const p = shared.packet;
    if (p.kind === 'data' || p.sequenceHeader) return EMPTY;
    const state = p.kind === 'video' ? this.video : this.audio;
    if (!state) return EMPTY;
    this.base ??= p.dts;
    this.fragmentStart ??= p.dts;
    let out = EMPTY;
    if (this.shouldCut(p)) {
      out = this.fragment(false);
      this.fragmentStart = p.dts;
    }
    state.pending.push({ packet: p, time: this.toTimescale(p.dts, state.track.timescale) });
    return out;
  }

  end(): Buffer {
    return this.fragment(true);
  }

  /** A new fragment starts at each video keyframe (audio-only: every maxFragmentMs); long GOPs are split too. */
  private shouldCut(p: MediaPacket): boolean {
    const elapsed = p.dts - (this.fragmentStart ?? p.dts);
    if (elapsed <= 0) return false;
    if (!this.video) return elapsed >= this.maxFragmentMs;
    return (p.kind === 'video' && p.keyframe) || elapsed >= this.maxFragmentMs * 2;
  }

  /** A moof+mdat of everything pending (all but each track's last sample, unless this is the end). */
  private fragment(final: boolean): Buffer {
    const fragments = [];
    for (const state of [this.video, this.audio]) {
      if (!state || state.pending.length === 0) continue;
      const take = final ? state.pending.length : state.pending.length - 1;
      if (take <= 0) continue;
      const samples: Fmp4Sample[] = [];
      for (let i = 0; i < take; i++) {
        const { packet, time } = state.pending[i];
        const next = state.pending[i + 1];
        const duration = next ? next.time - time : state.lastDuration || defaultDuration(state.track);
        state.lastDuration = duration;
        const ts = state.track.timescale;
        samples.push({
          duration,
          size: packet.payload.length,
          data: packet.payload,
          keyframe: packet.kind === 'audio' || packet.keyframe,
          compositionOffset: Math.round(((packet.pts - packet.dts) * ts) / 1000),
        });
      }
      fragments.push({ trackId: state.track.id, baseMediaDecodeTime: state.pending[0].time, samples });
      state.pending = state.pending.slice(take);
    }
    if (fragments.length === 0) return EMPTY;
    return writeMediaSegment(this.sequence++, fragments);
  }

  private toTimescale(dtsMs: number, timescale: number): number {
    return Math.round(((dtsMs - (this.base ?? dtsMs)) * timescale) / 1000);
  }
}

function defaultDuration(track: Fmp4Track): number {
  if (track.kind === 'audio') return track.codec === 'aac' ? 1024 : Math.round(track.timescale / 50);
  return Math.round(track.timescale / 30);
}
