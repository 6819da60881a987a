import { parseAudioSpecificConfig } from '../../codec/aac/audio-specific-config.js';
import { aacCodecString } from '../../codec/aac/codec-string.js';
import type { Fmp4Sample, Fmp4Track } from '../../codec/fmp4/index.js';
import { writeInitSegment } from '../../codec/fmp4/index.js';
import { parseAvcDecoderConfig } from '../../codec/h264/avcc.js';
import { h264CodecString } from '../../codec/h264/codec-string.js';
import { hevcCodecString } from '../../codec/hevc/codec-string.js';
import { parseHevcDecoderConfig } from '../../codec/hevc/hvcc.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import { describeAudio, describeVideo } from '../../hub/stream-info.js';

const VIDEO_TIMESCALE = 90_000;

/** One DASH representation (video or audio): its init segment, RFC 6381 codecs string and pending samples. */
export class DashTrack {
  readonly id: 'video' | 'audio';
  readonly track: Fmp4Track;
  readonly codecs: string;
  readonly init: Buffer;
  private pending: MediaPacket[] = [];
  private lastDuration = 0;

  constructor(header: MediaPacket) {
    this.id = header.kind === 'video' ? 'video' : 'audio';
    if (header.kind === 'video') {
      const info = describeVideo(header);
      this.track = {
        id: 1,
        kind: 'video',
        codec: header.codec as 'h264' | 'hevc',
        timescale: VIDEO_TIMESCALE,
        config: header.payload,
        width: info.width,
        height: info.height,
      };
      if (header.codec === 'h264') {
        const avc = parseAvcDecoderConfig(header.payload);
        this.codecs = h264CodecString(avc.profileIdc, avc.profileCompatibility, avc.levelIdc);
      } else {
        this.codecs = hevcCodecString(parseHevcDecoderConfig(header.payload), 'hvc1');
      }
    } else {
      const info = describeAudio(header);
      const rate = info.sampleRate || 48_000;
      this.track = {
        id: 2,
        kind: 'audio',
        codec: header.codec as 'aac' | 'opus',
        timescale: rate,
        config: header.payload,
        sampleRate: rate,
        channels: info.channels || 2,
      };
      this.codecs =
        header.codec === 'aac' ? aacCodecString(parseAudioSpecificConfig(header.payload).objectType) : 'opus';
    }
    this.init = writeInitSegment([this.track]);
  }

  get timescale(): number {
    return this.track.timescale;
  }

  toTimescale(ms: number): number {
    return Math.round((ms * this.track.timescale) / 1000);
  }

  add(packet: MediaPacket): void {
    this.pending.push(packet);
  }

  /**
   * Takes every pending sample with dts before `endMs` as one fragment's samples. Durations come from the next
   * sample; the last one runs to `endMs` (so segments tile the timeline exactly).
   */
  take(endMs: number): { baseTime: number; samples: Fmp4Sample[] } | undefined {
    const count = this.pending.findIndex((p) => p.dts >= endMs);
    const taken = count < 0 ? this.pending : this.pending.slice(0, count);
    if (taken.length === 0) return undefined;
    this.pending = count < 0 ? [] : this.pending.slice(count);
    const samples: Fmp4Sample[] = taken.map((p, i) => {
      const start = this.toTimescale(p.dts);
      const next = taken[i + 1] ? this.toTimescale(taken[i + 1].dts) : Math.max(this.toTimescale(endMs), start + 1);
      const duration = next - start > 0 ? next - start : this.lastDuration || 1;
      this.lastDuration = duration;
      return {
        duration,
        size: p.payload.length,
        data: p.payload,
        keyframe: p.kind === 'audio' || p.keyframe,
        compositionOffset: this.toTimescale(p.pts) - start,
      };
    });
    return { baseTime: this.toTimescale(taken[0].dts), samples };
  }
}
