import { TsError } from './ts-error.js';

/**
 * opus_access_unit of "Opus in MPEG-2 TS" (Xiph OpusTS / ETSI draft), one per Opus packet in a PES payload:
 *
 *   control_header_prefix u11 = 0x3FF | start_trim_flag 1 | end_trim_flag 1 | control_extension_flag 1 |
 *   reserved 2 | au_size: 0xFF bytes adding 255 each, then one byte < 0xFF | [reserved 3 | start_trim u13] |
 *   [reserved 3 | end_trim u13] | [control_extension_length u8 | bytes] | Opus packet (au_size bytes)
 *
 * With no flags the header starts 0x7F 0xE0.
 */
export interface OpusTrim {
  /** Samples at 48 kHz to drop from the start / end of the decoded packet. */
  startTrim?: number;
  endTrim?: number;
}

export interface OpusAccessUnit extends OpusTrim {
  /** Subarray of the PES payload. */
  packet: Buffer;
}

const PREFIX = 0x7fe0;
const PREFIX_MASK = 0xffe0;
const START_TRIM_FLAG = 0x10;
const END_TRIM_FLAG = 0x08;
const EXTENSION_FLAG = 0x04;
const TRIM_MASK = 0x1fff;

export function writeOpusControlHeader(auSize: number, trim: OpusTrim = {}): Buffer {
  const sizeBytes = Math.floor(auSize / 255) + 1;
  const withStart = trim.startTrim !== undefined;
  const withEnd = trim.endTrim !== undefined;
  const out = Buffer.alloc(2 + sizeBytes + (withStart ? 2 : 0) + (withEnd ? 2 : 0), 0xff);
  out.writeUInt16BE(PREFIX | (withStart ? START_TRIM_FLAG : 0) | (withEnd ? END_TRIM_FLAG : 0), 0);
  let at = 2 + sizeBytes - 1;
  out[at++] = auSize % 255;
  if (withStart) {
    out.writeUInt16BE(trim.startTrim! & TRIM_MASK, at);
    at += 2;
  }
  if (withEnd) out.writeUInt16BE(trim.endTrim! & TRIM_MASK, at);
  return out;
}

/** Splits a PES payload into its Opus access units. */
export function parseOpusAccessUnits(payload: Buffer): OpusAccessUnit[] {
  const units: OpusAccessUnit[] = [];
  let at = 0;
  while (at < payload.length) {
    if (payload.length - at < 3) throw new TsError('TS_TRUNCATED', 'Opus control header cut short');
    const word = payload.readUInt16BE(at);
    if ((word & PREFIX_MASK) !== PREFIX) throw new TsError('TS_INVALID', 'no Opus control_header_prefix');
    at += 2;
    let size = 0;
    for (;;) {
      if (at >= payload.length) throw new TsError('TS_TRUNCATED', 'Opus au_size cut short');
      const byte = payload[at++];
      size += byte;
      if (byte !== 0xff) break;
    }
    const unit: OpusTrim = {};
    if (word & START_TRIM_FLAG) {
      unit.startTrim = readU16(payload, at) & TRIM_MASK;
      at += 2;
    }
    if (word & END_TRIM_FLAG) {
      unit.endTrim = readU16(payload, at) & TRIM_MASK;
      at += 2;
    }
    if (word & EXTENSION_FLAG) {
      if (at >= payload.length) throw new TsError('TS_TRUNCATED', 'Opus control extension cut short');
      at += 1 + payload[at];
    }
    if (at + size > payload.length) throw new TsError('TS_TRUNCATED', `Opus access unit of ${size} bytes overruns`);
    units.push({ ...unit, packet: payload.subarray(at, at + size) });
    at += size;
  }
  return units;
}

function readU16(buf: Buffer, at: number): number {
  if (at + 2 > buf.length) throw new TsError('TS_TRUNCATED', 'Opus trim field cut short');
  return buf.readUInt16BE(at);
}
