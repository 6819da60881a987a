import { PROGRAM_NUMBER } from './constants.js';
import { crc32Mpeg } from './crc32-mpeg.js';

export interface PmtStream {
  streamType: number;
  pid: number;
  descriptors?: Buffer;
}

/**
 * A PSI section (2.4.4): table_id u8 | syntax 1, '0', reserved 11, section_length u12 | id u16 | reserved 11,
 * version u5, current_next 1 | section_number u8 | last_section_number u8 | body | CRC32.
 */
function section(tableId: number, id: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head[0] = tableId;
  const length = 5 + body.length + 4;
  head.writeUInt16BE(0xb000 | length, 1);
  head.writeUInt16BE(id, 3);
  head[5] = 0xc1; // version 0, current
  head[6] = 0;
  head[7] = 0;
  const withoutCrc = Buffer.concat([head, body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32Mpeg(withoutCrc), 0);
  return Buffer.concat([withoutCrc, crc]);
}

/** PAT (2.4.4.3): one program pointing at the PMT PID. */
export function writePat(pmtPid: number): Buffer {
  const body = Buffer.alloc(4);
  body.writeUInt16BE(PROGRAM_NUMBER, 0);
  body.writeUInt16BE(0xe000 | pmtPid, 2);
  return section(0x00, 1, body);
}

/** PMT (2.4.4.8): PCR PID, then each elementary stream with its descriptors. */
export function writePmt(pcrPid: number, streams: readonly PmtStream[]): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xe000 | pcrPid, 0);
  head.writeUInt16BE(0xf000, 2);
  parts.push(head);
  for (const stream of streams) {
    const entry = Buffer.alloc(5);
    const descriptors = stream.descriptors ?? Buffer.alloc(0);
    entry[0] = stream.streamType;
    entry.writeUInt16BE(0xe000 | stream.pid, 1);
    entry.writeUInt16BE(0xf000 | descriptors.length, 3);
    parts.push(entry, descriptors);
  }
  return section(0x02, PROGRAM_NUMBER, Buffer.concat(parts));
}

/** Reads the PMT PID from a PAT section (starting at table_id); undefined when malformed. */
export function readPat(sectionBytes: Buffer): number | undefined {
  if (sectionBytes.length < 12 || sectionBytes[0] !== 0) return undefined;
  const length = sectionBytes.readUInt16BE(1) & 0x0fff;
  const end = Math.min(3 + length - 4, sectionBytes.length);
  for (let pos = 8; pos + 4 <= end; pos += 4) {
    const program = sectionBytes.readUInt16BE(pos);
    if (program !== 0) return sectionBytes.readUInt16BE(pos + 2) & 0x1fff;
  }
  return undefined;
}

/** Reads the streams of a PMT section; undefined when malformed. */
export function readPmt(sectionBytes: Buffer): { pcrPid: number; streams: PmtStream[] } | undefined {
  if (sectionBytes.length < 16 || sectionBytes[0] !== 2) return undefined;
  const length = sectionBytes.readUInt16BE(1) & 0x0fff;
  const end = Math.min(3 + length - 4, sectionBytes.length);
  const pcrPid = sectionBytes.readUInt16BE(8) & 0x1fff;
  const infoLength = sectionBytes.readUInt16BE(10) & 0x0fff;
  const streams: PmtStream[] = [];
  let pos = 12 + infoLength;
  while (pos + 5 <= end) {
    const esInfo = sectionBytes.readUInt16BE(pos + 3) & 0x0fff;
    streams.push({
      streamType: sectionBytes[pos],
      pid: sectionBytes.readUInt16BE(pos + 1) & 0x1fff,
      descriptors: sectionBytes.subarray(pos + 5, Math.min(end, pos + 5 + esInfo)),
    });
    pos += 5 + esInfo;
  }
  return { pcrPid, streams };
}
