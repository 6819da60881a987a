import { oggCrc } from './ogg-crc.js';

/**
 * One Ogg page (RFC 3533 6):
 *
 *   "OggS" | version u8 = 0 | header_type u8 | granule_position i64le | serial u32le | sequence u32le
 *   | crc u32le | page_segments u8 | segment_table u8[page_segments] | data
 */
export const OGG_CAPTURE = Buffer.from('OggS', 'latin1');
export const OGG_HEADER_SIZE = 27;
export const OGG_CONTINUED = 0x01;
export const OGG_BOS = 0x02;
export const OGG_EOS = 0x04;
/** A lacing value of 255 says the packet goes on in the next segment. */
export const OGG_MAX_SEGMENTS = 255;
export const OGG_MAX_PACKET_ON_PAGE = OGG_MAX_SEGMENTS * 255 - 1;

export interface OggPageFields {
  headerType: number;
  granule: bigint;
  serial: number;
  sequence: number;
  /** The last packet goes on in the next page (its length must be a multiple of 255; no terminating lacing value). */
  lastPacketContinues?: boolean;
}

/** Writes one page holding whole packets (each at most OGG_MAX_PACKET_ON_PAGE bytes together with the rest). */
export function writeOggPage(fields: OggPageFields, packets: readonly Buffer[]): Buffer {
  const lacing: number[] = [];
  packets.forEach((packet, index) => {
    let left = packet.length;
    while (left >= 255) {
      lacing.push(255);
      left -= 255;
    }
    const open = fields.lastPacketContinues && index === packets.length - 1;
    if (open && left !== 0) throw new RangeError('a packet continued on the next page must fill whole segments');
    if (!open) lacing.push(left);
  });
  if (lacing.length > OGG_MAX_SEGMENTS) throw new RangeError(`${lacing.length} Ogg segments do not fit one page`);
  const dataLength = packets.reduce((sum, p) => sum + p.length, 0);
  const page = Buffer.alloc(OGG_HEADER_SIZE + lacing.length + dataLength);
  OGG_CAPTURE.copy(page, 0);
  page[4] = 0;
  page[5] = fields.headerType;
  page.writeBigInt64LE(fields.granule, 6);
  page.writeUInt32LE(fields.serial >>> 0, 14);
  page.writeUInt32LE(fields.sequence >>> 0, 18);
  page[26] = lacing.length;
  for (let i = 0; i < lacing.length; i++) page[OGG_HEADER_SIZE + i] = lacing[i];
  let at = OGG_HEADER_SIZE + lacing.length;
  for (const packet of packets) at += packet.copy(page, at);
  page.writeUInt32LE(oggCrc(page), 22);
  return page;
}
