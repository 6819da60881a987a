import type { BitReader } from '../bits/bit-reader.js';

export interface HevcProfileTierLevel {
  generalProfileSpace: number;
  generalTierFlag: number;
  generalProfileIdc: number;
  /** 32 flags, general_profile_compatibility_flag[0] in the most significant bit. */
  generalProfileCompatibilityFlags: number;
  /** progressive/interlaced/non-packed/frame-only flags and the 44 bits after them: 6 bytes. */
  generalConstraintIndicatorFlags: Buffer;
  generalLevelIdc: number;
}

/**
 * profile_tier_level(1, maxNumSubLayersMinus1) (ITU-T H.265 7.3.3):
 *
 *   profile_space u2 | tier u1 | profile_idc u5 | compatibility u32 | constraint flags u48 | level_idc u8
 *   { sub_layer_profile_present u1 | sub_layer_level_present u1 } x maxNumSubLayersMinus1
 *   reserved u2 x (8 - maxNumSubLayersMinus1) when maxNumSubLayersMinus1 > 0
 *   per sub-layer: [88 bits of profile] [level_idc u8]
 */
export function readProfileTierLevel(r: BitReader, maxNumSubLayersMinus1: number): HevcProfileTierLevel {
  const generalProfileSpace = r.readBits(2);
  const generalTierFlag = r.readBits(1);
  const generalProfileIdc = r.readBits(5);
  const generalProfileCompatibilityFlags = r.readBits(32);
  const generalConstraintIndicatorFlags = Buffer.alloc(6);
  for (let i = 0; i < 6; i++) generalConstraintIndicatorFlags[i] = r.readBits(8);
  const generalLevelIdc = r.readBits(8);

  const profilePresent: boolean[] = [];
  const levelPresent: boolean[] = [];
  for (let i = 0; i < maxNumSubLayersMinus1; i++) {
    profilePresent.push(r.readFlag());
    levelPresent.push(r.readFlag());
  }
  if (maxNumSubLayersMinus1 > 0) r.skipBits(2 * (8 - maxNumSubLayersMinus1));
  for (let i = 0; i < maxNumSubLayersMinus1; i++) {
    if (profilePresent[i]) r.skipBits(88);
    if (levelPresent[i]) r.skipBits(8);
  }
  return {
    generalProfileSpace,
    generalTierFlag,
    generalProfileIdc,
    generalProfileCompatibilityFlags,
    generalConstraintIndicatorFlags,
    generalLevelIdc,
  };
}
