import { writeFlvHeader, writeFlvTag } from '../../codec/flv/index.js';
import { flvBodyFormat, flvTagTypeOf } from '../../formats/flv/from-packets.js';
import type { SharedPacket } from '../../hub/wire-format.js';
import type { ContainerWriter, RecordingHeaders } from './container-writer.js';

const EMPTY: Buffer = Buffer.alloc(0);

/** FLV recordings: the stream's own tag bodies (shared with RTMP/FLV readers), timestamps rebased to 0. */
export class FlvContainerWriter implements ContainerWriter {
  readonly extension = 'flv';
  private base?: number;

  begin(headers: RecordingHeaders): Buffer {
    const parts = [
      writeFlvHeader({ hasAudio: headers.audioHeader !== undefined, hasVideo: headers.videoHeader !== undefined }),
    ];
    for (const header of [headers.metadata, headers.videoHeader, headers.audioHeader]) {
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
