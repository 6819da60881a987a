import { TsMuxer } from '../../codec/mpegts/muxer.js';
import type { StreamSource } from '../stream-source.js';
import type { SharedPacket, WireFormat } from '../wire-format.js';

const EMPTY: Buffer = Buffer.alloc(0);
const TS_CLOCK_PER_MS = 90;

/**
 * MPEG-TS packets of one stream, encoded in stream order by one muxer (its continuity counters are per stream),
 * shared by HTTP-TS readers and the HLS segmenter. Each packet's encoding is whole 188-byte packets.
 */
export function tsFormatFor(source: StreamSource): WireFormat {
  return source.statefulFormat('ts', () => new TsFormat());
}

class TsFormat implements WireFormat {
  readonly id = 'ts';
  private muxer?: TsMuxer;
  private video?: { codec: 'h264' | 'hevc'; config: Buffer };
  private audio?: { codec: 'aac' | 'mp3' | 'opus'; config?: Buffer };

  encode(shared: SharedPacket): Buffer {
    const p = shared.packet;
    if (p.kind === 'data') return EMPTY;
    if (p.kind === 'video') {
      if (p.codec !== 'h264' && p.codec !== 'hevc') return EMPTY;
      if (p.sequenceHeader) {
        this.video = { codec: p.codec, config: p.payload };
        this.muxer = undefined;
        return EMPTY;
      }
      if (!this.video) return EMPTY;
      return this.mux().writeVideo({
        dts: p.dts * TS_CLOCK_PER_MS,
        pts: p.pts * TS_CLOCK_PER_MS,
        keyframe: p.keyframe,
        data: p.payload,
      });
    }
    const codec = p.codec;
    if (codec !== 'aac' && codec !== 'mp3' && codec !== 'opus') return EMPTY;
    if (p.sequenceHeader) {
      this.audio = { codec, config: p.payload };
      this.muxer = undefined;
      return EMPTY;
    }
    if (!this.audio || this.audio.codec !== codec) {
      if (codec === 'aac') return EMPTY;
      this.audio = { codec };
      this.muxer = undefined;
    }
    return this.mux().writeAudio({ pts: p.pts * TS_CLOCK_PER_MS, data: p.payload });
  }

  private mux(): TsMuxer {
    this.muxer ??= new TsMuxer({ video: this.video, audio: this.audio });
    return this.muxer;
  }
}
