export { oggCrc } from './ogg-crc.js';
export { OggOpusWriter } from './ogg-opus-writer.js';
export { MAX_OGG_PACKET_BYTES, type OggPacket, OggPacketReader } from './ogg-packet-reader.js';
export {
  OGG_BOS,
  OGG_CONTINUED,
  OGG_EOS,
  OGG_HEADER_SIZE,
  OGG_MAX_PACKET_ON_PAGE,
  type OggPageFields,
  writeOggPage,
} from './ogg-page.js';
