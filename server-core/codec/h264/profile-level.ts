/** Display names for profile_idc (ITU-T H.264 Annex A), spelled as SRS reports them. */
const PROFILE_NAMES: Record<number, string> = {
  66: 'Baseline',
  77: 'Main',
  88: 'Extended',
  100: 'High',
  110: 'High(10)',
  122: 'High(422)',
  144: 'High(444)',
  244: 'High(444+Predictive)',
};

export function h264ProfileName(profileIdc: number): string {
  return PROFILE_NAMES[profileIdc] ?? 'Other';
}

/** level_idc / 10 ('3', '3.1'); level 1b is level_idc 9, or 11 with constraint_set3 in Baseline/Main/Extended (A.3.1). */
export function h264LevelName(levelIdc: number, profileIdc = 0, constraintFlags = 0): string {
  if (levelIdc === 9) return '1b';
  if (
    levelIdc === 11 &&
    (constraintFlags & 0x10) !== 0 &&
    (profileIdc === 66 || profileIdc === 77 || profileIdc === 88)
  ) {
    return '1b';
  }
  const minor = levelIdc % 10;
  return minor === 0 ? `${levelIdc / 10}` : `${(levelIdc - minor) / 10}.${minor}`;
}
