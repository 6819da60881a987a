import { FlvError } from './flv-error.js';

/**
 * FLV file header (Video File Format Specification v10.1, E.2) plus PreviousTagSize0:
 *   'F' 'L' 'V' | version 1 | flags (0x04 audio, 0x01 video) | data offset u32 = 9 | PreviousTagSize0 u32 = 0
 */
export const FLV_HEADER_SIZE = 13;

export function writeFlvHeader(opts: { hasAudio: boolean; hasVideo: boolean }): Buffer {
  const b = Buffer.alloc(FLV_HEADER_SIZE);
  b.write('FLV', 0, 'latin1');
  b[3] = 1;
  b[4] = (opts.hasAudio ? 0x04 : 0) | (opts.hasVideo ? 0x01 : 0);
  b.writeUInt32BE(9, 5);
  return b;
}

export function parseFlvHeader(buf: Buffer): { hasAudio: boolean; hasVideo: boolean; headerSize: number } {
  if (buf.length < 9) throw new FlvError('FLV_TRUNCATED', 'FLV header needs 9 bytes');
  if (buf.toString('latin1', 0, 3) !== 'FLV') throw new FlvError('FLV_BAD_HEADER', 'not an FLV stream');
  const headerSize = buf.readUInt32BE(5);
  if (headerSize < 9 || headerSize > 1024) throw new FlvError('FLV_BAD_HEADER', `bad FLV data offset ${headerSize}`);
  return { hasAudio: (buf[4] & 0x04) !== 0, hasVideo: (buf[4] & 0x01) !== 0, headerSize };
}
