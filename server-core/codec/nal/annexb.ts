/**
 * Annex B byte stream (ITU-T H.264 Annex B / H.265 Annex B): NAL units behind start codes.
 *
 *   [00] 00 00 01 | NAL | [00 ...] 00 00 01 | NAL | ...
 *
 * A 4-byte start code is a zero_byte plus the 3-byte one; trailing_zero_8bits may follow any NAL unit.
 */

const START_CODE_3 = Buffer.from([0x00, 0x00, 0x01]);
const START_CODE_4 = Buffer.from([0x00, 0x00, 0x00, 0x01]);

/**
 * NAL units without their start codes, as subarrays of buf (no copy). Bytes before the first start code and
 * empty units are dropped; trailing zero bytes of each unit belong to the next start code or to padding.
 */
export function splitAnnexB(buf: Buffer): Buffer[] {
  const nals: Buffer[] = [];
  let at = buf.indexOf(START_CODE_3);
  while (at >= 0) {
    const start = at + START_CODE_3.length;
    const next = buf.indexOf(START_CODE_3, start);
    let end = next < 0 ? buf.length : next;
    while (end > start && buf[end - 1] === 0) end--;
    if (end > start) nals.push(buf.subarray(start, end));
    at = next;
  }
  return nals;
}

/** NAL units behind 4-byte start codes, in one allocation. */
export function joinAnnexB(nals: Buffer[]): Buffer {
  let total = 0;
  for (const nal of nals) total += START_CODE_4.length + nal.length;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const nal of nals) {
    START_CODE_4.copy(out, at);
    at += START_CODE_4.length;
    nal.copy(out, at);
    at += nal.length;
  }
  return out;
}
