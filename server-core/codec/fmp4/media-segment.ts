import { box, fullBox, u32, u64 } from './box.js';
import type { Fmp4Fragment } from './track.js';

/** sample_flags (14496-12 8.8.3.1): sync samples depend on nothing; others depend on earlier ones and are non-sync. */
export const SYNC_SAMPLE_FLAGS = 0x02000000;
export const NON_SYNC_SAMPLE_FLAGS = 0x01010000;
/** trun flags: data-offset, sample duration, size, flags and composition time offset present. */
const TRUN_FLAGS = 0x000001 | 0x000100 | 0x000200 | 0x000400 | 0x000800;
/** tfhd: default-base-is-moof, so data offsets count from the moof. */
const TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;

/**
 * One fragment: moof (mfhd + a traf per track: tfhd, tfdt v1, trun) followed by one mdat holding every
 * track's samples in traf order. Each trun's data_offset points at its first sample inside the mdat.
 */
export function writeMediaSegment(
  sequenceNumber: number,
  fragments: readonly Fmp4Fragment[],
  opts: { styp?: boolean } = {},
): Buffer {
  // The moof's size does not depend on the offsets' values: build it once with zeros to learn it.
  const build = (offsets: number[]) =>
    box('moof', fullBox('mfhd', 0, 0, u32(sequenceNumber)), ...fragments.map((f, i) => traf(f, offsets[i])));
  const moofSize = build(fragments.map(() => 0)).length;
  const offsets: number[] = [];
  let position = moofSize + 8;
  for (const fragment of fragments) {
    offsets.push(position);
    position += fragment.samples.reduce((n, s) => n + s.data.length, 0);
  }
  const moof = build(offsets);
  const mdat = box('mdat', ...fragments.flatMap((f) => f.samples.map((s) => s.data)));
  const parts = [moof, mdat];
  if (opts.styp) parts.unshift(box('styp', Buffer.from('msdh', 'latin1'), u32(0), Buffer.from('msdhmsix', 'latin1')));
  return Buffer.concat(parts);
}

function traf(fragment: Fmp4Fragment, dataOffset: number): Buffer {
  const negative = fragment.samples.some((s) => s.compositionOffset < 0);
  const entries = Buffer.alloc(fragment.samples.length * 16);
  fragment.samples.forEach((s, i) => {
    const at = i * 16;
    entries.writeUInt32BE(s.duration >>> 0, at);
    entries.writeUInt32BE(s.data.length, at + 4);
    entries.writeUInt32BE(s.keyframe ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS, at + 8);
    if (negative) entries.writeInt32BE(s.compositionOffset, at + 12);
    else entries.writeUInt32BE(s.compositionOffset >>> 0, at + 12);
  });
  const offset = Buffer.alloc(4);
  offset.writeInt32BE(dataOffset, 0);
  return box(
    'traf',
    fullBox('tfhd', 0, TFHD_DEFAULT_BASE_IS_MOOF, u32(fragment.trackId)),
    fullBox('tfdt', 1, 0, u64(fragment.baseMediaDecodeTime)),
    fullBox('trun', negative ? 1 : 0, TRUN_FLAGS, u32(fragment.samples.length), offset, entries),
  );
}
