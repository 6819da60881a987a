/**
 * CRC-32 with polynomial 0x04C11DB7, bits fed most significant first, no final XOR: the CRC of MPEG-2 PSI
 * sections (initial 0xFFFFFFFF) and of Ogg pages (initial 0).
 */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
    table[i] = crc >>> 0;
  }
  return table;
})();

export function crc32Msb(data: Uint8Array, initial: number): number {
  let crc = initial >>> 0;
  for (let i = 0; i < data.length; i++) crc = ((crc << 8) ^ TABLE[((crc >>> 24) ^ data[i]) & 0xff]) >>> 0;
  return crc;
}
