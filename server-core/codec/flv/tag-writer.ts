/**
 * One FLV tag (E.4.1): type u8 | data size u24 | timestamp u24 | timestamp extended u8 | stream id u24 = 0 |
 * body | PreviousTagSize u32 (11 + body size). One allocation, one copy of the body.
 */
export const FLV_TAG_HEADER_SIZE = 11;

export function writeFlvTag(tagType: 8 | 9 | 18, timestampMs: number, body: Buffer): Buffer {
  const size = body.length;
  const tag = Buffer.allocUnsafe(FLV_TAG_HEADER_SIZE + size + 4);
  const ts = timestampMs >>> 0;
  tag[0] = tagType;
  tag.writeUIntBE(size, 1, 3);
  tag.writeUIntBE(ts & 0xffffff, 4, 3);
  tag[7] = (ts >>> 24) & 0xff;
  tag.writeUIntBE(0, 8, 3);
  body.copy(tag, FLV_TAG_HEADER_SIZE);
  tag.writeUInt32BE(FLV_TAG_HEADER_SIZE + size, FLV_TAG_HEADER_SIZE + size);
  return tag;
}
