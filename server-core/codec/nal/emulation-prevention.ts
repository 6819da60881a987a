/**
 * Emulation prevention (ITU-T H.264 7.4.1 / H.265 7.4.2): inside a NAL unit, 0x000003 escapes the byte
 * patterns 0x000000..0x000003 so that no start code can appear in the payload.
 *
 *   RBSP:  .. 00 00 01 ..      NAL:  .. 00 00 03 01 ..
 */

const ESCAPE = 0x03;
const PATTERN = Buffer.from([0x00, 0x00, ESCAPE]);

/** NAL bytes -> RBSP: drops each 0x03 that follows two zero bytes. Returns the input itself when none occur. */
export function removeEmulationPrevention(nal: Buffer): Buffer {
  let at = nal.indexOf(PATTERN);
  if (at < 0) return nal;
  const out = Buffer.allocUnsafe(nal.length);
  let n = 0;
  let zeros = 0;
  // Copy the clean prefix in one go, then walk byte by byte.
  at += 2;
  nal.copy(out, 0, 0, at);
  n = at;
  zeros = 2;
  for (let i = at; i < nal.length; i++) {
    const b = nal[i];
    if (zeros >= 2 && b === ESCAPE) {
      zeros = 0;
      continue;
    }
    out[n++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, n);
}

/**
 * RBSP -> NAL bytes: inserts 0x03 after two zero bytes when the next byte is <= 0x03, and after a trailing
 * 0x0000 (cabac_zero_word case). Returns the input itself when nothing needs escaping.
 */
export function addEmulationPrevention(rbsp: Buffer): Buffer {
  if (!needsEscaping(rbsp)) return rbsp;
  // Worst case one escape per two input bytes.
  const out = Buffer.allocUnsafe(rbsp.length + (rbsp.length >> 1) + 1);
  let n = 0;
  let zeros = 0;
  for (let i = 0; i < rbsp.length; i++) {
    const b = rbsp[i];
    if (zeros >= 2 && b <= ESCAPE) {
      out[n++] = ESCAPE;
      zeros = 0;
    }
    out[n++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  if (zeros >= 2) out[n++] = ESCAPE;
  return out.subarray(0, n);
}

function needsEscaping(rbsp: Buffer): boolean {
  let at = rbsp.indexOf(0);
  while (at >= 0 && at + 1 < rbsp.length) {
    if (rbsp[at + 1] === 0 && (at + 2 === rbsp.length || rbsp[at + 2] <= ESCAPE)) return true;
    at = rbsp.indexOf(0, at + 1);
  }
  return false;
}
