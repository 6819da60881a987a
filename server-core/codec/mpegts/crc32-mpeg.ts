import { crc32Msb } from '../bits/crc32-msb.js';

/**
 * CRC-32/MPEG-2 of PSI sections (ISO/IEC 13818-1 Annex A): polynomial 0x04C11DB7, initial value 0xFFFFFFFF,
 * bits fed most significant first, no final XOR. A section followed by its CRC_32 checks to 0.
 */
export function crc32Mpeg(data: Uint8Array): number {
  return crc32Msb(data, 0xffffffff);
}
