import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeAdtsHeader } from '../aac/adts.js';
import { PsDemuxer } from './demuxer.js';
import { FFMPEG_H264, FFMPEG_VOB } from './fixtures.js';
import { PsMuxer } from './muxer.js';
import { writePackHeader } from './pack-header.js';
import { writePsPes } from './pes-packet.js';
import { writeProgramStreamMap } from './program-stream-map.js';
import { writeSystemHeader } from './system-header.js';
import { b64, demuxInPieces, framesOf, h264AccessUnit, hevcAccessUnit } from './test-support.js';

const FRAME = 3600; // 25 fps at 90 kHz
const PACK_START = Buffer.from([0, 0, 1, 0xba]);

function adtsFrame(size: number): Buffer {
  const header = writeAdtsHeader({ objectType: 2, samplingFrequencyIndex: 4, channelConfiguration: 2 } as never, size);
  return Buffer.concat([header, Buffer.alloc(size, 0x21)]);
}

/** A GB-shaped stream: H.264 GOP with AAC between the pictures. */
function h264WithAac(maxPesPayload?: number) {
  const muxer = new PsMuxer({ video: 'h264', audio: 'aac', maxPesPayload });
  const video = [h264AccessUnit(true, [3000, 2500]), h264AccessUnit(false, [900]), h264AccessUnit(false, [70_000])];
  const audio = [adtsFrame(200), adtsFrame(210), adtsFrame(190)];
  const parts: Buffer[] = [];
  video.forEach((data, i) => {
    parts.push(muxer.writeVideo({ pts: (i + 1) * FRAME, dts: i * FRAME, data }));
    parts.push(muxer.writeAudio({ pts: i * FRAME + 100, data: audio[i] }));
  });
  return { bytes: Buffer.concat(parts), video, audio };
}

describe('PsDemuxer', () => {
  it('gives back what the muxer wrote: access units, PTS/DTS, codecs from the PSM', () => {
    const { bytes, video, audio } = h264WithAac(1400);
    const demuxer = new PsDemuxer();
    const events = demuxInPieces(demuxer, bytes, []);
    expect(events[0]).toEqual({
      type: 'streams',
      source: 'psm',
      streams: [
        { streamId: 0xe0, streamType: 0x1b, codec: 'h264' },
        { streamId: 0xc0, streamType: 0x0f, codec: 'aac' },
      ],
    });
    const frames = framesOf(events);
    const v = frames.filter((f) => f.kind === 'video');
    const a = frames.filter((f) => f.kind === 'audio');
    expect(b64(v.map((f) => f.data))).toEqual(b64(video));
    expect(v.map((f) => [f.pts, f.dts])).toEqual(video.map((_, i) => [(i + 1) * FRAME, i * FRAME]));
    expect(b64(a.map((f) => f.data))).toEqual(b64(audio));
    expect(a.every((f) => f.codec === 'aac' && f.streamId === 0xc0)).toBe(true);
    const stats = demuxer.stats;
    expect(stats).toMatchObject({ resyncs: 0, skippedBytes: 0, droppedPes: 0, psmCrcErrors: 0, psms: 1 });
    expect(stats.packs).toBe(6);
  });

  it('emits an access unit once the next picture of its stream starts', () => {
    const muxer = new PsMuxer({ video: 'h264' });
    const demuxer = new PsDemuxer();
    expect(framesOf(demuxer.push(muxer.writeVideo({ pts: 0, data: h264AccessUnit(true, [100]) })))).toEqual([]);
    // Its last PES is taken once a start code follows; the picture ends when the next one's PES is taken.
    expect(framesOf(demuxer.push(muxer.writeVideo({ pts: FRAME, data: h264AccessUnit(false, [100]) })))).toEqual([]);
    const out = framesOf(demuxer.push(muxer.writeVideo({ pts: 2 * FRAME, data: h264AccessUnit(false, [100]) })));
    expect(out.map((f) => f.pts)).toEqual([0]);
    expect(framesOf(demuxer.flush()).map((f) => f.pts)).toEqual([FRAME, 2 * FRAME]);
  });

  it('gives back the same access units at any split points (H.264 + AAC, HEVC + G.711)', () => {
    const { bytes, video, audio } = h264WithAac(1400);
    const muxer = new PsMuxer({ video: 'hevc', audio: 'g711a', maxPesPayload: 500 });
    const hevc = [hevcAccessUnit(true, 1800), hevcAccessUnit(false, 300)];
    const alaw = [Buffer.alloc(320, 0xd5), Buffer.alloc(320, 0x55)];
    const hevcBytes = Buffer.concat(
      hevc.flatMap((data, i) => [
        muxer.writeVideo({ pts: i * FRAME, data }),
        muxer.writeAudio({ pts: i * FRAME, data: alaw[i] }),
      ]),
    );
    fc.assert(
      fc.property(
        fc.array(fc.nat(bytes.length), { maxLength: 30 }),
        fc.array(fc.nat(hevcBytes.length), { maxLength: 30 }),
        (cuts1, cuts2) => {
          const f1 = framesOf(demuxInPieces(new PsDemuxer(), bytes, cuts1));
          expect(b64(f1.filter((f) => f.kind === 'video').map((f) => f.data))).toEqual(b64(video));
          expect(b64(f1.filter((f) => f.kind === 'audio').map((f) => f.data))).toEqual(b64(audio));
          const f2 = framesOf(demuxInPieces(new PsDemuxer(), hevcBytes, cuts2));
          expect(f2.filter((f) => f.kind === 'video').map((f) => [f.codec, f.data.toString('base64')])).toEqual(
            hevc.map((d) => ['hevc', d.toString('base64')]),
          );
          expect(f2.filter((f) => f.kind === 'audio').map((f) => [f.codec, f.data])).toEqual(
            alaw.map((d) => ['g711a', d]),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('property: random access units at random PES sizes and splits come back whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 3 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 16, max: 4000 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (specs, maxPesPayload, cuts) => {
          const muxer = new PsMuxer({ video: 'h264', maxPesPayload });
          const aus = specs.map(([key, sizes]) => h264AccessUnit(key, sizes));
          const bytes = Buffer.concat(aus.map((data, i) => muxer.writeVideo({ pts: i * FRAME, data })));
          const frames = framesOf(
            demuxInPieces(
              new PsDemuxer(),
              bytes,
              cuts.map((c) => c % (bytes.length + 1)),
            ),
          );
          expect(b64(frames.map((f) => f.data))).toEqual(b64(aus));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('finds H.264 without PSM on stream 0xE2, as ffmpeg -f vob/mpeg writes it', () => {
    const aus = [h264AccessUnit(true, [5000]), h264AccessUnit(false, [1500])];
    const parts: Buffer[] = [];
    const system = writeSystemHeader({
      rateBound: 20000,
      audioBound: 0,
      videoBound: 1,
      fixed: false,
      csps: false,
      audioLock: true,
      videoLock: true,
      streams: [{ streamId: 0xe2, bufferBoundScale: 1, bufferSizeBound: 232 }],
    });
    // 2048-byte packs: pack header, PES with PTS where a picture starts, padding to fill the pack.
    aus.forEach((au, i) => {
      for (let at = 0; at < au.length; at += 2000) {
        parts.push(writePackHeader({ scrBase: i * FRAME, muxRate: 20000 }));
        if (i === 0 && at === 0) parts.push(system);
        const payload = au.subarray(at, Math.min(at + 2000, au.length));
        parts.push(writePsPes({ streamId: 0xe2, pts: at === 0 ? i * FRAME + 3003 : undefined, payload }));
        parts.push(Buffer.from([0, 0, 1, 0xbe, 0, 4, 0xff, 0xff, 0xff, 0xff]));
      }
    });
    parts.push(Buffer.from([0, 0, 1, 0xb9]));
    const demuxer = new PsDemuxer();
    const events = demuxInPieces(demuxer, Buffer.concat(parts), [100, 2049, 4000]);
    expect(events[0]).toEqual({ type: 'streams', source: 'probe', streams: [{ streamId: 0xe2, codec: 'h264' }] });
    const frames = framesOf(events);
    expect(frames.map((f) => [f.codec, f.streamId, f.pts])).toEqual([
      ['h264', 0xe2, 3003],
      ['h264', 0xe2, FRAME + 3003],
    ]);
    expect(b64(frames.map((f) => f.data))).toEqual(b64(aus));
    expect(demuxer.stats.systemHeaders).toBe(1);
  });

  it("demuxes ffmpeg's real -f vob output (regression fixture) at any split", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(FFMPEG_VOB.length), { maxLength: 8 }), (cuts) => {
        const demuxer = new PsDemuxer();
        const events = demuxInPieces(demuxer, FFMPEG_VOB, cuts);
        expect(events[0]).toEqual({ type: 'streams', source: 'probe', streams: [{ streamId: 0xe2, codec: 'h264' }] });
        const frames = framesOf(events);
        expect(frames[0]).toMatchObject({ kind: 'video', codec: 'h264', pts: 45_000, dts: 45_000 });
        expect(Buffer.concat(frames.map((f) => f.data)).equals(FFMPEG_H264)).toBe(true);
        expect(demuxer.stats).toMatchObject({
          packs: 2,
          systemHeaders: 1,
          psms: 0,
          resyncs: 0,
          skippedBytes: 0,
          droppedPes: 0,
        });
      }),
      { numRuns: 30 },
    );
  });

  it('reads a video PES with PES_packet_length 0 up to the next start code', () => {
    const au = h264AccessUnit(true, [2000]);
    const pes = writePsPes({ streamId: 0xe0, pts: 0, payload: au });
    pes.writeUInt16BE(0, 4);
    const psm = writeProgramStreamMap({ streams: [{ streamType: 0x1b, streamId: 0xe0 }] });
    const pack = writePackHeader({ scrBase: 0, muxRate: 1 });
    const bytes = Buffer.concat([pack, psm, pes, pack, Buffer.from([0, 0, 1, 0xb9])]);
    fc.assert(
      fc.property(fc.array(fc.nat(bytes.length), { maxLength: 10 }), (cuts) => {
        expect(b64(framesOf(demuxInPieces(new PsDemuxer(), bytes, cuts)).map((f) => f.data))).toEqual(b64([au]));
      }),
      { numRuns: 30 },
    );
  });

  it('resyncs on the next pack header after garbage, counting it; a unit garbage follows counts as cut', () => {
    const { bytes, video, audio } = h264WithAac(1400);
    const packStarts: number[] = [];
    for (let i = bytes.indexOf(PACK_START); i >= 0; i = bytes.indexOf(PACK_START, i + 1)) packStarts.push(i);
    const garbage = Buffer.from('hello, this is not a program stream 00 00 01 e0');
    // garbage before everything, and after the first audio pack (pack 2 of 6)
    const input = Buffer.concat([garbage, bytes.subarray(0, packStarts[2]), garbage, bytes.subarray(packStarts[2])]);
    const demuxer = new PsDemuxer();
    const frames = framesOf(demuxInPieces(demuxer, input, [7, 300]));
    expect(b64(frames.filter((f) => f.kind === 'video').map((f) => f.data))).toEqual(b64(video));
    expect(b64(frames.filter((f) => f.kind === 'audio').map((f) => f.data))).toEqual(b64(audio.slice(1)));
    const audioPesSize = packStarts[2] - packStarts[1] - 14;
    expect(demuxer.stats).toMatchObject({ resyncs: 2, skippedBytes: 2 * garbage.length + audioPesSize, droppedPes: 1 });
    const clean = new PsDemuxer();
    demuxInPieces(clean, Buffer.concat([garbage, bytes]), [3]);
    expect(clean.stats).toMatchObject({ resyncs: 1, skippedBytes: garbage.length, droppedPes: 0 });
  });

  it('drops what follows a discontinuity up to the next pack, and a picture cut by it', () => {
    const muxer = new PsMuxer({ video: 'h264', maxPesPayload: 1000 });
    const aus = [h264AccessUnit(true, [3000]), h264AccessUnit(false, [500]), h264AccessUnit(false, [500])];
    const packs = aus.map((data, i) => muxer.writeVideo({ pts: i * FRAME, data }));
    const demuxer = new PsDemuxer();
    const frames = framesOf([
      ...demuxer.push(packs[0].subarray(0, 1500)),
      ...demuxer.discontinuity(),
      ...demuxer.push(packs[0].subarray(2500)),
      ...demuxer.push(packs[1]),
      ...demuxer.push(packs[2]),
      ...demuxer.flush(),
    ]);
    expect(b64(frames.map((f) => f.data))).toEqual(b64([aus[1], aus[2]]));
    // a gap exactly between two pictures loses nothing
    const d2 = new PsDemuxer();
    const f2 = framesOf([...d2.push(packs[0]), ...d2.discontinuity(), ...d2.push(packs[1]), ...d2.flush()]);
    expect(b64(f2.map((f) => f.data))).toEqual(b64([aus[0], aus[1]]));
  });

  it('drops the access unit a resync cut, and a continuation PES whose start was lost', () => {
    const muxer = new PsMuxer({ video: 'h264', maxPesPayload: 1000 });
    const aus = [h264AccessUnit(true, [3000]), h264AccessUnit(false, [500]), h264AccessUnit(false, [500])];
    const packs = aus.map((data, i) => muxer.writeVideo({ pts: i * FRAME, data }));
    const demuxer = new PsDemuxer();
    // Cut the first picture's pack in the middle of its second PES.
    const cut = packs[0].subarray(0, 1500);
    const frames = framesOf(demuxInPieces(demuxer, Buffer.concat([cut, Buffer.from('xx'), packs[1], packs[2]]), []));
    expect(b64(frames.map((f) => f.data))).toEqual(b64([aus[1], aus[2]]));
    expect(demuxer.stats.droppedAccessUnits).toBe(1);
    // A stream opened mid-picture: continuation PES without PTS and without start code.
    const d2 = new PsDemuxer();
    const tail = packs[0].subarray(packs[0].indexOf(Buffer.from([0, 0, 1, 0xe0]), 100));
    const second = tail.indexOf(Buffer.from([0, 0, 1, 0xe0]), 4);
    const f2 = framesOf(
      demuxInPieces(
        d2,
        Buffer.concat([writePackHeader({ scrBase: 0, muxRate: 1 }), tail.subarray(second), packs[1]]),
        [],
      ),
    );
    expect(b64(f2.map((f) => f.data))).toEqual(b64([aus[1]])); // the continuation cannot be probed nor placed
    expect(d2.stats.unknownStreamPes).toBe(2);
  });

  it('drops access units over the size limit', () => {
    const muxer = new PsMuxer({ video: 'h264' });
    const demuxer = new PsDemuxer({ maxAccessUnitSize: 10_000 });
    const big = h264AccessUnit(true, [20_000]);
    const small = h264AccessUnit(false, [100]);
    const frames = framesOf(
      demuxInPieces(
        demuxer,
        Buffer.concat([muxer.writeVideo({ pts: 0, data: big }), muxer.writeVideo({ pts: FRAME, data: small })]),
        [],
      ),
    );
    expect(b64(frames.map((f) => f.data))).toEqual(b64([small]));
    expect(demuxer.stats.droppedAccessUnits).toBe(1);
  });

  it('uses a PSM with a wrong CRC (counted), as sloppy cameras send', () => {
    const psm = writeProgramStreamMap({ streams: [{ streamType: 0x91, streamId: 0xc0 }] });
    psm.writeUInt32BE(0, psm.length - 4);
    const audio = Buffer.alloc(160, 0x7f);
    const bytes = Buffer.concat([
      writePackHeader({ scrBase: 0, muxRate: 1 }),
      psm,
      writePsPes({ streamId: 0xc0, pts: 9, payload: audio }),
    ]);
    const demuxer = new PsDemuxer();
    const frames = framesOf(demuxInPieces(demuxer, bytes, []));
    expect(frames).toEqual([
      { type: 'frame', kind: 'audio', streamId: 0xc0, codec: 'g711u', pts: 9, dts: 9, data: audio },
    ]);
    expect(demuxer.stats.psmCrcErrors).toBe(1);
  });

  it('never throws on random or truncated input, and a truncated stream yields a prefix of its frames', () => {
    const { bytes, video } = h264WithAac(700);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.nat(bytes.length),
        fc.array(fc.nat(3000), { maxLength: 5 }),
        (junk, cut, cuts) => {
          const d = new PsDemuxer({ maxUnboundedPesSize: 1000 });
          demuxInPieces(d, Buffer.from(junk), cuts);
          const withPack = Buffer.concat([writePackHeader({ scrBase: 0, muxRate: 1 }), Buffer.from(junk)]);
          demuxInPieces(new PsDemuxer(), withPack, cuts);
          const frames = framesOf(demuxInPieces(new PsDemuxer(), bytes.subarray(0, cut), cuts)).filter(
            (f) => f.kind === 'video',
          );
          // the last one may be cut short; all before it are whole
          frames.slice(0, -1).forEach((f, i) => {
            expect(f.data.equals(video[i])).toBe(true);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never throws when mux output is corrupted byte-wise', () => {
    const { bytes } = h264WithAac(500);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.nat(255)), { minLength: 1, maxLength: 20 }),
        (flips) => {
          const bent = Buffer.from(bytes);
          for (const [at, x] of flips) bent[at] ^= x;
          demuxInPieces(new PsDemuxer(), bent, [333, 1000]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
