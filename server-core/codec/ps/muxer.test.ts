import { describe, expect, it } from 'vitest';
import { PsMuxer } from './muxer.js';
import { parsePackHeader } from './pack-header.js';
import { parseProgramStreamMap } from './program-stream-map.js';
import { PsError } from './ps-error.js';
import { parseSystemHeader } from './system-header.js';
import { h264AccessUnit, hevcAccessUnit } from './test-support.js';

const startCodes = (buf: Buffer) => {
  const ids: number[] = [];
  for (let i = buf.indexOf(Buffer.from([0, 0, 1])); i >= 0; i = buf.indexOf(Buffer.from([0, 0, 1]), i + 3)) {
    if (buf[i + 3] >= 0xb9) ids.push(buf[i + 3]);
  }
  return ids;
};

describe('PsMuxer', () => {
  it('writes a keyframe as pack header, system header, PSM and PES packets (first with PTS/DTS)', () => {
    const muxer = new PsMuxer({ video: 'h264', audio: 'g711a', maxPesPayload: 1400 });
    const au = h264AccessUnit(true, [3000]);
    const out = muxer.writeVideo({ pts: 7200, dts: 3600, data: au });
    expect(startCodes(out)).toEqual([0xba, 0xbb, 0xbc, 0xe0, 0xe0, 0xe0]);
    const pack = parsePackHeader(out);
    expect(pack.scrBase).toBe(3600);
    const sys = parseSystemHeader(out, pack.size);
    expect(sys.streams.map((s) => s.streamId)).toEqual([0xe0, 0xc0]);
    const psm = parseProgramStreamMap(out, pack.size + sys.size);
    expect(psm.streams.map((s) => [s.streamType, s.streamId])).toEqual([
      [0x1b, 0xe0],
      [0x90, 0xc0],
    ]);
    const firstPes = pack.size + sys.size + psm.size;
    expect(out[firstPes + 7]).toBe(0xc0); // PTS and DTS
    expect(out.readUInt16BE(firstPes + 4)).toBe(3 + 10 + 1400);
  });

  it('writes a non-keyframe without system header and PSM, detecting key pictures itself', () => {
    const muxer = new PsMuxer({ video: 'hevc' });
    muxer.writeVideo({ pts: 0, data: hevcAccessUnit(true, 100) });
    expect(startCodes(muxer.writeVideo({ pts: 0, data: hevcAccessUnit(false, 100) }))).toEqual([0xba, 0xe0]);
    expect(startCodes(muxer.writeVideo({ pts: 0, data: hevcAccessUnit(true, 100) }))).toEqual([0xba, 0xbb, 0xbc, 0xe0]);
  });

  it('splits at 65535 bytes per PES by default', () => {
    const muxer = new PsMuxer({ video: 'h264' });
    const out = muxer.writeVideo({ pts: 0, data: h264AccessUnit(false, [200_000]) });
    expect(startCodes(out).filter((id) => id === 0xe0)).toHaveLength(4);
    expect(out.readUInt16BE(out.indexOf(Buffer.from([0, 0, 1, 0xe0])) + 4)).toBe(0xffff);
  });

  it('writes the maps in the first pack whatever it holds, and once a second without video', () => {
    const av = new PsMuxer({ video: 'h264', audio: 'g711u' });
    expect(startCodes(av.writeAudio({ pts: 0, data: Buffer.alloc(160) }))).toEqual([0xba, 0xbb, 0xbc, 0xc0]);
    expect(startCodes(av.writeAudio({ pts: 200_000, data: Buffer.alloc(160) }))).toEqual([0xba, 0xc0]);
    const audioOnly = new PsMuxer({ audio: 'g711a' });
    const packs = [0, 1800, 88_200, 90_000, 91_800].map((pts) =>
      startCodes(audioOnly.writeAudio({ pts, data: Buffer.alloc(160) })),
    );
    expect(packs.map((ids) => ids.includes(0xbc))).toEqual([true, false, false, true, false]);
  });

  it('writes one pack per audio frame and refuses what it cannot carry', () => {
    const muxer = new PsMuxer({ audio: 'aac', maxPesPayload: 1000 });
    muxer.writeAudio({ pts: 0, data: Buffer.from([0xff, 0xf1, 1, 2]) });
    expect(startCodes(muxer.writeAudio({ pts: 1, data: Buffer.from([0xff, 0xf1, 1, 2]) }))).toEqual([0xba, 0xc0]);
    expect(() => muxer.writeAudio({ pts: 0, data: Buffer.alloc(1001) })).toThrow(PsError);
    expect(() => muxer.writeVideo({ pts: 0, data: Buffer.alloc(10) })).toThrow(PsError);
    expect(() => new PsMuxer({ video: 'h264', maxPesPayload: 1 })).toThrow(PsError);
  });
});
