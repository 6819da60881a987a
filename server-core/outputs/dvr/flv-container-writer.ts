import { writeFlvHeader, writeFlvTag } from '../../codec/flv/index.js';
import { flvBodyFormat, flvTagTypeOf } from '../../formats/flv/from-packets.js';
import type { SharedPacket } from '../../hub/wire-format.js';
import { type ContainerWriter, firstHeader, type RecordingHeaders } from './container-writer.js';

const EMPTY: Buffer = Buffer.alloc(0);

/** FLV recordings: the stream's own tag bodies (shared with RTMP/FLV readers), timestamps rebased to 0. */
export class FlvContainerWriter implements ContainerWriter {
  readonly extension = 'flv';
  private base?: number;

  begin(headers: RecordingHeaders): Buffer {
    const video = firstHeader(headers, 'video');
    const audio = firstHeader(headers, 'audio');
    const parts = [writeFlvHeader({ hasAudio: audio !== undefined, hasVideo: video !== undefined })];
    for (const header of [headers.metadata, video, audio]) {
      if (header) parts.push(this.tag(header, 0));
    }
    return Buffer.concat(parts);
  }

  write(shared: SharedPacket): Buffer {
    const p = shared.packet;
    if (p.kind === 'data') return EMPTY;
    this.base ??= p.dts;
    return this.tag(shared, Math.max(0, p.dts - this.base));
  }

  end(): Buffer {
    return EMPTY;
  }

  private tag(shared: SharedPacket, timestamp: number): Buffer {
    return writeFlvTag(flvTagTypeOf(shared.packet) as 8 | 9 | 18, timestamp, shared.encoded(flvBodyFormat));
  }
}
