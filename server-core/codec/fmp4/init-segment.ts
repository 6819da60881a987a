import { box, fullBox, u32 } from './box.js';
import { sampleEntry } from './sample-entry.js';
import type { Fmp4Track } from './track.js';

const MATRIX = Buffer.from([
  0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0,
]);
const MOVIE_TIMESCALE = 1000;

/** ftyp + moov for a fragmented file (ISO/IEC 14496-12 8.2-8.8): empty sample tables, mvex/trex per track. */
export function writeInitSegment(
  tracks: readonly Fmp4Track[],
  opts: { majorBrand?: string; compatibleBrands?: string[] } = {},
): Buffer {
  const major = opts.majorBrand ?? 'iso5';
  const brands = opts.compatibleBrands ?? ['iso5', 'iso6', 'mp41', 'dash', 'cmfc'];
  const ftyp = box('ftyp', Buffer.from(major, 'latin1'), u32(512), ...brands.map((b) => Buffer.from(b, 'latin1')));
  const nextTrackId = Math.max(...tracks.map((t) => t.id)) + 1;
  const moov = box('moov', mvhd(nextTrackId), ...tracks.map(trak), box('mvex', ...tracks.map(trex)));
  return Buffer.concat([ftyp, moov]);
}

function mvhd(nextTrackId: number): Buffer {
  const b = Buffer.alloc(96);
  b.writeUInt32BE(MOVIE_TIMESCALE, 8);
  b.writeUInt32BE(0x00010000, 16); // rate 1.0
  b.writeUInt16BE(0x0100, 20); // volume 1.0
  MATRIX.copy(b, 32);
  b.writeUInt32BE(nextTrackId, 92);
  return fullBox('mvhd', 0, 0, b);
}

function trak(track: Fmp4Track): Buffer {
  return box('trak', tkhd(track), box('mdia', mdhd(track), hdlr(track), minf(track)));
}

function tkhd(track: Fmp4Track): Buffer {
  const b = Buffer.alloc(80);
  b.writeUInt32BE(track.id, 8);
  b.writeUInt16BE(track.kind === 'audio' ? 0x0100 : 0, 32);
  MATRIX.copy(b, 36);
  b.writeUInt32BE((track.width ?? 0) * 65536, 72);
  b.writeUInt32BE((track.height ?? 0) * 65536, 76);
  return fullBox('tkhd', 0, 3, b);
}

function mdhd(track: Fmp4Track): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32BE(track.timescale, 8);
  b.writeUInt16BE(0x55c4, 16); // 'und'
  return fullBox('mdhd', 0, 0, b);
}

function hdlr(track: Fmp4Track): Buffer {
  const name = track.kind === 'video' ? 'VideoHandler' : 'SoundHandler';
  return fullBox(
    'hdlr',
    0,
    0,
    u32(0),
    Buffer.from(track.kind === 'video' ? 'vide' : 'soun', 'latin1'),
    Buffer.alloc(12),
    Buffer.from(`${name}\0`, 'latin1'),
  );
}

function minf(track: Fmp4Track): Buffer {
  const header =
    track.kind === 'video' ? fullBox('vmhd', 0, 1, Buffer.alloc(8)) : fullBox('smhd', 0, 0, Buffer.alloc(4));
  const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
  const stbl = box(
    'stbl',
    fullBox('stsd', 0, 0, u32(1), sampleEntry(track)),
    fullBox('stts', 0, 0, u32(0)),
    fullBox('stsc', 0, 0, u32(0)),
    fullBox('stsz', 0, 0, u32(0), u32(0)),
    fullBox('stco', 0, 0, u32(0)),
  );
  return box('minf', header, dinf, stbl);
}

function trex(track: Fmp4Track): Buffer {
  return fullBox('trex', 0, 0, u32(track.id), u32(1), u32(0), u32(0), u32(0));
}
