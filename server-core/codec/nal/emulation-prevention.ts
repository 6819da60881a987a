/** Removes emulation prevention bytes (00 00 03 -> 00 00), giving the RBSP (ITU-T H.264 7.4.1). */
export function removeEmulationPrevention(nal: Buffer): Buffer {
  let zeros = 0;
  const out = Buffer.allocUnsafe(nal.length);
  let n = 0;
  for (let i = 0; i < nal.length; i++) {
    const b = nal[i];
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    out[n++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, n);
}

/** Inserts emulation prevention bytes so no start code appears inside a NAL unit. */
export function addEmulationPrevention(rbsp: Buffer): Buffer {
  const out: number[] = [];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Buffer.from(out);
}
