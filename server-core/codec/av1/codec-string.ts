/**
 * Codecs parameter (AV1-ISOBMFF, "Codecs Parameter String"), short form:
 * av01.<profile>.<level, 2 digits><tier M|H>.<bit depth, 2 digits>, e.g. 'av01.0.05M.08'.
 */
export function av1CodecString(c: {
  seqProfile: number;
  seqLevelIdx: number;
  seqTier: number;
  bitDepth: number;
}): string {
  const two = (v: number) => String(v).padStart(2, '0');
  return `av01.${c.seqProfile}.${two(c.seqLevelIdx)}${c.seqTier ? 'H' : 'M'}.${two(c.bitDepth)}`;
}
