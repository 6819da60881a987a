import { box, fullBox, u8, u16, u32 } from './box.js';
import { Fmp4Error } from './fmp4-error.js';
import type { Fmp4Track } from './track.js';

/** The stsd sample entry of a track: avc1/hvc1/av01 (14496-15, AV1-ISOBMFF) or mp4a/Opus (14496-14, Opus-in-ISOBMFF). */
export function sampleEntry(track: Fmp4Track): Buffer {
  if (track.kind === 'video') return visualEntry(track);
  return audioEntry(track);
}

function visualEntry(track: Fmp4Track): Buffer {
  if (!track.config) throw new Fmp4Error('FMP4_UNSUPPORTED', `${track.codec} track without its configuration record`);
  const [entryType, configType] =
    track.codec === 'h264' ? ['avc1', 'avcC'] : track.codec === 'hevc' ? ['hvc1', 'hvcC'] : ['av01', 'av1C'];
  const head = Buffer.alloc(78);
  head.writeUInt16BE(1, 6); // data_reference_index
  head.writeUInt16BE(track.width ?? 0, 24);
  head.writeUInt16BE(track.height ?? 0, 26);
  head.writeUInt32BE(0x00480000, 28); // 72 dpi
  head.writeUInt32BE(0x00480000, 32);
  head.writeUInt16BE(1, 40); // frame_count
  head.writeUInt16BE(0x0018, 74); // depth
  head.writeInt16BE(-1, 76);
  return box(entryType, head, box(configType, track.config));
}

function audioEntry(track: Fmp4Track): Buffer {
  const rate = track.sampleRate ?? 48000;
  const head = Buffer.alloc(28);
  head.writeUInt16BE(1, 6);
  head.writeUInt16BE(track.channels ?? 2, 16);
  head.writeUInt16BE(16, 18);
  head.writeUInt32BE(rate <= 0xffff ? rate * 65536 : 0, 24);
  if (track.codec === 'opus') {
    if (!track.config) throw new Fmp4Error('FMP4_UNSUPPORTED', 'Opus track without its OpusHead');
    return box('Opus', head, dOps(track.config));
  }
  if (track.codec === 'aac' && !track.config)
    throw new Fmp4Error('FMP4_UNSUPPORTED', 'AAC track without its AudioSpecificConfig');
  const objectType = track.codec === 'aac' ? 0x40 : 0x6b;
  return box('mp4a', head, esds(objectType, track.config ?? Buffer.alloc(0)));
}

/** esds (14496-1 7.2.6.5): ES_Descriptor > DecoderConfigDescriptor > DecoderSpecificInfo, SLConfigDescriptor. */
function esds(objectTypeIndication: number, specificInfo: Buffer): Buffer {
  const decoderSpecific = specificInfo.length > 0 ? descriptor(0x05, specificInfo) : Buffer.alloc(0);
  const decoderConfig = descriptor(
    0x04,
    Buffer.concat([u8(objectTypeIndication), u8(0x15), Buffer.alloc(3), u32(0), u32(0), decoderSpecific]),
  );
  const es = descriptor(0x03, Buffer.concat([u16(0), u8(0), decoderConfig, descriptor(0x06, u8(0x02))]));
  return fullBox('esds', 0, 0, es);
}

function descriptor(tag: number, body: Buffer): Buffer {
  // Four-byte expandable length, as most muxers write it.
  const length = body.length;
  const len = Buffer.from([
    0x80 | ((length >> 21) & 0x7f),
    0x80 | ((length >> 14) & 0x7f),
    0x80 | ((length >> 7) & 0x7f),
    length & 0x7f,
  ]);
  return Buffer.concat([u8(tag), len, body]);
}

/** dOps (Opus in ISOBMFF 4.3.2) from an OpusHead (RFC 7845), big-endian this time. */
function dOps(opusHead: Buffer): Buffer {
  if (opusHead.length < 19) throw new Fmp4Error('FMP4_UNSUPPORTED', 'OpusHead too short');
  const b = Buffer.alloc(11);
  b[0] = 0;
  b[1] = opusHead[9];
  b.writeUInt16BE(opusHead.readUInt16LE(10), 2);
  b.writeUInt32BE(opusHead.readUInt32LE(12), 4);
  b.writeInt16BE(opusHead.readInt16LE(16), 8);
  b[10] = 0;
  return box('dOps', b);
}
