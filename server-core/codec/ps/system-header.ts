import { LENGTH_PREFIX_SIZE, SYSTEM_HEADER_START_CODE } from './constants.js';
import { PsError } from './ps-error.js';

/**
 * System header (ISO/IEC 13818-1 2.5.3.5, Table 2-40):
 *
 *   00 00 01 BB | header_length u16 | marker rate_bound u22 marker | audio_bound u6 fixed_flag 1 CSPS_flag 1
 *   system_audio_lock 1 system_video_lock 1 marker video_bound u5 | packet_rate_restriction 1 reserved u7
 *   { stream_id u8 | '11' P-STD_buffer_bound_scale 1 P-STD_buffer_size_bound u13 }*
 *
 * The buffer bound counts 128-byte units when the scale is 0 (audio), 1024-byte units when 1 (video).
 */
export interface SystemHeaderStream {
  streamId: number;
  bufferBoundScale: 0 | 1;
  bufferSizeBound: number;
}

export interface SystemHeader {
  rateBound: number;
  audioBound: number;
  videoBound: number;
  fixed: boolean;
  csps: boolean;
  audioLock: boolean;
  videoLock: boolean;
  streams: SystemHeaderStream[];
}

const FIXED_PART = 6;
const STREAM_ENTRY = 3;

export function parseSystemHeader(buf: Buffer, at = 0): SystemHeader & { size: number } {
  if (buf.length - at < LENGTH_PREFIX_SIZE) throw new PsError('PS_TRUNCATED', 'system header shorter than 6 bytes');
  if (buf[at] !== 0 || buf[at + 1] !== 0 || buf[at + 2] !== 1 || buf[at + 3] !== SYSTEM_HEADER_START_CODE) {
    throw new PsError('PS_INVALID', 'no system header start code');
  }
  const length = buf.readUInt16BE(at + 4);
  const size = LENGTH_PREFIX_SIZE + length;
  if (buf.length - at < size) throw new PsError('PS_TRUNCATED', `system header of ${size} bytes`);
  if (length < FIXED_PART) throw new PsError('PS_INVALID', `system header_length ${length}`);
  const p = at + LENGTH_PREFIX_SIZE;
  const header: SystemHeader & { size: number } = {
    rateBound: ((buf[p] & 0x7f) << 15) | (buf[p + 1] << 7) | (buf[p + 2] >> 1),
    audioBound: buf[p + 3] >> 2,
    fixed: (buf[p + 3] & 0x02) !== 0,
    csps: (buf[p + 3] & 0x01) !== 0,
    audioLock: (buf[p + 4] & 0x80) !== 0,
    videoLock: (buf[p + 4] & 0x40) !== 0,
    videoBound: buf[p + 4] & 0x1f,
    streams: [],
    size,
  };
  for (let i = p + FIXED_PART; i + STREAM_ENTRY <= at + size; i += STREAM_ENTRY) {
    if ((buf[i] & 0x80) === 0) break; // stream_id entries start with a 1 bit
    header.streams.push({
      streamId: buf[i],
      bufferBoundScale: buf[i + 1] & 0x20 ? 1 : 0,
      bufferSizeBound: ((buf[i + 1] & 0x1f) << 8) | buf[i + 2],
    });
  }
  return header;
}

export function writeSystemHeader(header: SystemHeader): Buffer {
  const length = FIXED_PART + STREAM_ENTRY * header.streams.length;
  const out = Buffer.alloc(LENGTH_PREFIX_SIZE + length);
  out[2] = 1;
  out[3] = SYSTEM_HEADER_START_CODE;
  out.writeUInt16BE(length, 4);
  const rate = header.rateBound & 0x3fffff;
  out[6] = 0x80 | (rate >> 15);
  out[7] = (rate >> 7) & 0xff;
  out[8] = ((rate & 0x7f) << 1) | 0x01;
  out[9] = ((header.audioBound & 0x3f) << 2) | (header.fixed ? 0x02 : 0) | (header.csps ? 0x01 : 0);
  out[10] = (header.audioLock ? 0x80 : 0) | (header.videoLock ? 0x40 : 0) | 0x20 | (header.videoBound & 0x1f);
  out[11] = 0x7f; // packet_rate_restriction 0, reserved all ones
  header.streams.forEach((s, i) => {
    const e = 12 + i * STREAM_ENTRY;
    out[e] = s.streamId;
    out[e + 1] = 0xc0 | (s.bufferBoundScale << 5) | ((s.bufferSizeBound >> 8) & 0x1f);
    out[e + 2] = s.bufferSizeBound & 0xff;
  });
  return out;
}
