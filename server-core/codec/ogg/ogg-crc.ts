import { crc32Msb } from '../bits/crc32-msb.js';

/** The Ogg page checksum (RFC 3533 6): CRC-32 with polynomial 0x04C11DB7, MSB first, initial 0, no final XOR. */
export function oggCrc(bytes: Uint8Array): number {
  return crc32Msb(bytes, 0);
}
