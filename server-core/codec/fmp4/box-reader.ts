import { Fmp4Error } from './fmp4-error.js';

export interface Box {
  type: string;
  start: number;
  size: number;
  headerSize: number;
  payload: Buffer;
  children?: Box[];
}

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'mvex', 'moof', 'traf', 'dinf', 'edts', 'udta']);
const MAX_DEPTH = 16;

/** Reads boxes (14496-12 4.2) recursively through container boxes; 64-bit sizes and size 0 (to the end) handled. */
export function readBoxes(buf: Buffer, base = 0, depth = 0): Box[] {
  if (depth > MAX_DEPTH) throw new Fmp4Error('FMP4_BAD_BOX', 'boxes nested too deep');
  const boxes: Box[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (pos + 8 > buf.length) throw new Fmp4Error('FMP4_TRUNCATED', `box header at ${base + pos}`);
    let size = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    let headerSize = 8;
    if (size === 1) {
      if (pos + 16 > buf.length) throw new Fmp4Error('FMP4_TRUNCATED', 'largesize');
      size = Number(buf.readBigUInt64BE(pos + 8));
      headerSize = 16;
    } else if (size === 0) {
      size = buf.length - pos;
    }
    if (size < headerSize || pos + size > buf.length)
      throw new Fmp4Error('FMP4_TRUNCATED', `box ${type} of ${size} bytes`);
    const payload = buf.subarray(pos + headerSize, pos + size);
    const entry: Box = { type, start: base + pos, size, headerSize, payload };
    if (CONTAINERS.has(type)) entry.children = readBoxes(payload, base + pos + headerSize, depth + 1);
    boxes.push(entry);
    pos += size;
  }
  return boxes;
}

/** Finds a box by a slash path, e.g. `moov/trak/mdia/mdhd` (the first match at each level). */
export function findBox(boxes: readonly Box[], path: string): Box | undefined {
  let level: readonly Box[] | undefined = boxes;
  let found: Box | undefined;
  for (const type of path.split('/')) {
    found = level?.find((b) => b.type === type);
    if (!found) return undefined;
    level = found.children;
  }
  return found;
}

export function parseTfdt(b: Box): number {
  const version = b.payload[0];
  return version === 1 ? Number(b.payload.readBigUInt64BE(4)) : b.payload.readUInt32BE(4);
}

export interface TrunSample {
  duration?: number;
  size?: number;
  flags?: number;
  compositionOffset?: number;
}

export function parseTrun(b: Box): { sampleCount: number; dataOffset?: number; samples: TrunSample[] } {
  const p = b.payload;
  if (p.length < 8) throw new Fmp4Error('FMP4_TRUNCATED', 'trun');
  const version = p[0];
  const flags = p.readUIntBE(1, 3);
  const sampleCount = p.readUInt32BE(4);
  let pos = 8;
  let dataOffset: number | undefined;
  if (flags & 0x1) {
    dataOffset = p.readInt32BE(pos);
    pos += 4;
  }
  if (flags & 0x4) pos += 4;
  const samples: TrunSample[] = [];
  for (let i = 0; i < sampleCount; i++) {
    const s: TrunSample = {};
    const fields = [0x100, 0x200, 0x400, 0x800].filter((bit) => flags & bit).length;
    if (pos + fields * 4 > p.length) throw new Fmp4Error('FMP4_TRUNCATED', 'trun samples');
    if (flags & 0x100) {
      s.duration = p.readUInt32BE(pos);
      pos += 4;
    }
    if (flags & 0x200) {
      s.size = p.readUInt32BE(pos);
      pos += 4;
    }
    if (flags & 0x400) {
      s.flags = p.readUInt32BE(pos);
      pos += 4;
    }
    if (flags & 0x800) {
      s.compositionOffset = version === 1 ? p.readInt32BE(pos) : p.readUInt32BE(pos);
      pos += 4;
    }
    samples.push(s);
  }
  return { sampleCount, dataOffset, samples };
}

export function parseMdhd(b: Box): { timescale: number; duration: number } {
  const v = b.payload[0];
  return v === 1
    ? { timescale: b.payload.readUInt32BE(20), duration: Number(b.payload.readBigUInt64BE(24)) }
    : { timescale: b.payload.readUInt32BE(12), duration: b.payload.readUInt32BE(16) };
}

export function parseTkhd(b: Box): { trackId: number; width: number; height: number } {
  const v = b.payload[0];
  const idAt = v === 1 ? 20 : 12;
  const sizeAt = b.payload.length - 8;
  return {
    trackId: b.payload.readUInt32BE(idAt),
    width: b.payload.readUInt32BE(sizeAt) / 65536,
    height: b.payload.readUInt32BE(sizeAt + 4) / 65536,
  };
}
