import type { HevcProfileTierLevel } from './profile-tier-level.js';

const PROFILE_SPACES = ['', 'A', 'B', 'C'];

/**
 * ISO/IEC 14496-15 E.3 codecs parameter: hvc1.[space]profile.compat(bit-reversed hex).tier+level.constraints
 * with trailing zero constraint bytes dropped, e.g. 'hvc1.1.6.L93.90'.
 */
export function hevcCodecString(ptl: HevcProfileTierLevel, sampleEntry: 'hvc1' | 'hev1' = 'hvc1'): string {
  let reversed = 0;
  for (let j = 0; j < 32; j++) {
    if ((ptl.generalProfileCompatibilityFlags >>> (31 - j)) & 1) reversed += 2 ** j;
  }
  const constraints = [...ptl.generalConstraintIndicatorFlags];
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  const parts = [
    sampleEntry,
    `${PROFILE_SPACES[ptl.generalProfileSpace] ?? ''}${ptl.generalProfileIdc}`,
    reversed.toString(16).toUpperCase(),
    `${ptl.generalTierFlag ? 'H' : 'L'}${ptl.generalLevelIdc}`,
    ...constraints.map((b) => b.toString(16).toUpperCase()),
  ];
  return parts.join('.');
}
