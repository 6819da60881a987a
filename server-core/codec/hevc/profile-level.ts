/** Display names for general_profile_idc (ITU-T H.265 Annex A), spelled as SRS reports them. */
const PROFILE_NAMES: Record<number, string> = {
  1: 'Main',
  2: 'Main10',
  3: 'Main Still Picture',
  4: 'Rext',
};

/** The profile; when profile_idc is 0 the first compatibility flag set decides (A.3, general_profile_compatibility_flag[j]). */
export function hevcProfileName(profileIdc: number, compatibilityFlags = 0): string {
  if (PROFILE_NAMES[profileIdc]) return PROFILE_NAMES[profileIdc];
  if (profileIdc === 0) {
    for (let j = 1; j <= 4; j++) if ((compatibilityFlags >>> (31 - j)) & 1) return PROFILE_NAMES[j];
  }
  return 'Other';
}

/** general_level_idc is 30 x the level number: 93 -> '3.1', 120 -> '4'. */
export function hevcLevelName(levelIdc: number): string {
  const major = Math.floor(levelIdc / 30);
  const minor = Math.round((levelIdc % 30) / 3);
  return minor === 0 ? `${major}` : `${major}.${minor}`;
}
