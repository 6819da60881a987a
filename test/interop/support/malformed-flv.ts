import { AAC_CONFIG, AVC_RECORD } from '../../../server-core/hub/test-support.js';
import { pseudoRandom } from './pseudo-random.js';

/** One malformed publish: FLV tag bodies sent in order over a real RTMP publish. */
export interface MalformedCase {
  name: string;
  tags: { type: 8 | 9 | 18; body: Buffer }[];
}

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const avcHeader = (record: Buffer) => ({ type: 9 as const, body: Buffer.concat([hex('1700000000'), record]) });
const avcFrame = (payload: Buffer, key = true) => ({
  type: 9 as const,
  body: Buffer.concat([Buffer.from([key ? 0x17 : 0x27, 0x01, 0, 0, 0]), payload]),
});
const enhancedVideo = (fourcc: string, packetType: number, data: Buffer) => ({
  type: 9 as const,
  body: Buffer.concat([Buffer.from([0x90 | packetType]), Buffer.from(fourcc, 'latin1'), data]),
});
const aacHeader = (asc: Buffer) => ({ type: 8 as const, body: Buffer.concat([hex('af00'), asc]) });
const aacFrame = (raw: Buffer) => ({ type: 8 as const, body: Buffer.concat([hex('af01'), raw]) });
/** A keyframe access unit: one IDR slice NAL, length-prefixed. */
const IDR = hex('00000005 6588840021');
const script = (body: Buffer) => ({ type: 18 as const, body });

/**
 * Codec configurations and access units that once (or could) throw out of a muxer: each is followed by media so
 * every output (HLS, DASH, DVR, HTTP-TS, HTTP-FLV) has something to chew on.
 */
export function malformedCases(): MalformedCase[] {
  const frames = [avcFrame(IDR), avcFrame(IDR, false), aacFrame(hex('21100500'))];
  const cases: MalformedCase[] = [
    { name: 'AVC record of 1 byte', tags: [avcHeader(hex('01')), ...frames] },
    {
      name: 'AVC record whose SPS length runs past the end',
      tags: [avcHeader(hex('0142c00affe101006742')), ...frames],
    },
    { name: 'AVC record without SPS or PPS', tags: [avcHeader(hex('0142c00affe000')), ...frames] },
    {
      name: 'AVC record with a garbage SPS',
      tags: [avcHeader(Buffer.concat([hex('0142c00affe10010'), pseudoRandom(1, 16), hex('010002ffff')])), ...frames],
    },
    { name: 'AVC sequence header with an empty record', tags: [avcHeader(Buffer.alloc(0)), ...frames] },
    { name: 'video tag of one byte', tags: [{ type: 9, body: hex('17') }, ...frames] },
    { name: 'legacy HEVC (id 12) record of 5 bytes', tags: [{ type: 9, body: hex('1c00000000 0101600000') }] },
    {
      name: 'Enhanced RTMP hvc1 record with arrays that are not there',
      tags: [
        enhancedVideo('hvc1', 0, Buffer.concat([hex('01'), Buffer.alloc(21), hex('03')])),
        enhancedVideo('hvc1', 1, hex('000000 00000002 2601')),
      ],
    },
    {
      name: 'Enhanced RTMP av01 with a 2-byte av1C',
      tags: [enhancedVideo('av01', 0, hex('8100')), enhancedVideo('av01', 1, hex('0a0b00000024'))],
    },
    {
      name: 'Enhanced RTMP vp09 garbage',
      tags: [enhancedVideo('vp09', 0, pseudoRandom(2, 9)), enhancedVideo('vp09', 1, pseudoRandom(3, 40))],
    },
    {
      name: 'AAC config with a reserved sample-rate index',
      tags: [avcHeader(AVC_RECORD), aacHeader(hex('1690')), ...frames],
    },
    {
      name: 'AAC config with channel configuration 0 and no PCE',
      tags: [avcHeader(AVC_RECORD), aacHeader(hex('1200')), ...frames],
    },
    { name: 'AAC config of 1 byte', tags: [aacHeader(hex('12')), ...frames] },
    { name: 'AAC sequence header with no config', tags: [aacHeader(Buffer.alloc(0)), ...frames] },
    { name: 'AAC escape object type with nothing after it', tags: [aacHeader(hex('f800')), ...frames] },
    { name: 'AAC frames before any config', tags: [aacFrame(pseudoRandom(4, 300)), aacFrame(Buffer.alloc(0))] },
    {
      name: 'Enhanced Opus with a short OpusHead',
      tags: [{ type: 8, body: Buffer.concat([hex('90'), Buffer.from('Opus'), Buffer.from('OpusHe')]) }],
    },
    { name: 'MP3 garbage frames', tags: [{ type: 8, body: Buffer.concat([hex('2f'), pseudoRandom(5, 400)]) }] },
    {
      name: 'valid config, then a NAL length past the end of the frame',
      tags: [avcHeader(AVC_RECORD), aacHeader(AAC_CONFIG), avcFrame(hex('00001000 65')), avcFrame(IDR)],
    },
    {
      name: 'valid config, then zero-length NAL units',
      tags: [avcHeader(AVC_RECORD), avcFrame(hex('00000000 00000000 00000000')), avcFrame(IDR)],
    },
    {
      name: 'valid config, then an invalid config mid-stream',
      tags: [avcHeader(AVC_RECORD), avcFrame(IDR), avcHeader(hex('0142')), avcFrame(IDR), avcFrame(IDR, false)],
    },
    { name: 'script data that is not AMF', tags: [script(pseudoRandom(6, 200)), script(hex('02ffff'))] },
    {
      name: 'AMF nested a thousand arrays deep',
      tags: [script(Buffer.concat([hex('02000a6f6e4d65746144617461'), Buffer.alloc(1000, 0x0a).fill(0x0a)]))],
    },
    {
      name: 'valid AAC config, then empty and huge raw frames',
      tags: [aacHeader(AAC_CONFIG), aacFrame(Buffer.alloc(0)), aacFrame(pseudoRandom(7, 9000))],
    },
  ];
  // Random bodies behind each codec's real first bytes.
  const leads = [hex('1700'), hex('1701'), hex('2701'), hex('1c00'), hex('90'), hex('af00'), hex('af01'), hex('9d')];
  const random: MalformedCase['tags'] = [];
  for (let i = 0; i < 40; i++) {
    const lead = leads[i % leads.length];
    const type = lead[0] === 0xaf || lead[0] === 0x9d ? 8 : 9;
    random.push({ type, body: Buffer.concat([lead, pseudoRandom(100 + i, 1 + ((i * 37) % 300))]) });
  }
  cases.push({ name: '40 random bodies behind real codec bytes', tags: random });
  return cases;
}
