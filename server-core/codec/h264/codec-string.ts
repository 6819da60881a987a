/** RFC 6381 3.3 codecs parameter for H.264: 'avc1.' + profile_idc, constraint flags, level_idc as hex (avc1.64001f). */
export function h264CodecString(profileIdc: number, constraintFlags: number, levelIdc: number): string {
  const hex = (v: number) => (v & 0xff).toString(16).padStart(2, '0');
  return `avc1.${hex(profileIdc)}${hex(constraintFlags)}${hex(levelIdc)}`;
}
