import { TsMuxer } from '../../codec/mpegts/muxer.js';
import type { StreamSource } from '../../hub/stream-source.js';
import type { SharedPacket, WireFormat } from '../../hub/wire-format.js';

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
  /** One muxer for the stream's life: new sequence headers update it, so continuity counters never restart. */
  private readonly muxer = new TsMuxer({});
  private hasVideo = false;
  private audioCodec?: 'aac' | 'mp3' | 'opus';

  encode(shared: SharedPacket): Buffer {
    const p = shared.packet;
    if (p.kind === 'data') return EMPTY;
    if (p.kind === 'video') {
      if (p.codec !== 'h264' && p.codec !== 'hevc') return EMPTY;
      if (p.sequenceHeader) {
        this.muxer.setVideoConfig({ codec: p.codec, config: p.payload });
        this.hasVideo = true;
        return EMPTY;
      }
      if (!this.hasVideo) return EMPTY;
      return this.muxer.writeVideo({
        dts: p.dts * TS_CLOCK_PER_MS,
        pts: p.pts * TS_CLOCK_PER_MS,
        keyframe: p.keyframe,
        data: p.payload,
      });
    }
    const codec = p.codec;
    if (codec !== 'aac' && codec !== 'mp3' && codec !== 'opus') return EMPTY;
    if (p.sequenceHeader) {
      this.muxer.setAudioConfig({ codec, config: p.payload });
      this.audioCodec = codec;
      return EMPTY;
    }
    if (this.audioCodec !== codec) {
      // MP3 (and Opus without an OpusHead) has no sequence header: the first frame declares the track.
      if (codec === 'aac') return EMPTY;
      this.muxer.setAudioConfig({ codec });
      this.audioCodec = codec;
    }
    return this.muxer.writeAudio({ pts: p.pts * TS_CLOCK_PER_MS, data: p.payload });
  }
}
