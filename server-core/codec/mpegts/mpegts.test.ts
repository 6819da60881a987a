import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitAdtsFrames } from '../aac/adts.js';
import { buildAudioSpecificConfig } from '../aac/audio-specific-config.js';
import { buildAvcDecoderConfig } from '../h264/avcc.js';
import { h264NalType } from '../h264/nal-type.js';
import { splitAnnexB } from '../nal/annexb.js';
import { joinLengthPrefixed } from '../nal/length-prefixed.js';
import { TS_PACKET_SIZE } from './constants.js';
import { crc32Mpeg } from './crc32-mpeg.js';
import { TsDemuxer } from './demuxer.js';
import { TsMuxer } from './muxer.js';
import { readPcr } from './packetizer.js';

const hex = (s: string) => Buffer.from(s, 'hex');
/** A real 1280x720 High@3.1 SPS/PPS (libx264). */
const SPS = hex('6764001facd9405005bb0110000003001000000303c0f1831960');
const PPS = hex('68ebe3cb22c0');
const AVCC = buildAvcDecoderConfig([SPS], [PPS]);
const ASC = buildAudioSpecificConfig({ objectType: 2, sampleRate: 48000, channels: 2 });

/** Random slices: an IDR on keyframes, non-IDR otherwise (payload bytes avoid start-code patterns). */
const accessUnit = fc.record({
  keyframe: fc.boolean(),
  slices: fc.array(
    fc.uint8Array({ minLength: 1, maxLength: 900 }).map((a) => Buffer.from(a.map((b) => b | 0x10))),
    { minLength: 1, maxLength: 3 },
  ),
});

function mux(units: { keyframe: boolean; slices: Buffer[] }[]) {
  const muxer = new TsMuxer({ video: { codec: 'h264', config: AVCC }, audio: { codec: 'aac', config: ASC } });
  const chunks: Buffer[] = [];
  const expected: { nals: Buffer[]; dts: number; pts: number }[] = [];
  units.forEach((u, i) => {
    const nals = u.slices.map((s, j) => Buffer.concat([Buffer.from([u.keyframe && j === 0 ? 0x65 : 0x41]), s]));
    const dts = 90_000 + i * 3000;
    const pts = dts + (i % 3) * 3000;
    chunks.push(muxer.writeVideo({ dts, pts, keyframe: u.keyframe, data: joinLengthPrefixed(nals) }));
    chunks.push(muxer.writeAudio({ pts: dts + 100, data: Buffer.alloc(200 + i, 0x21) }));
    expected.push({ nals, dts, pts });
  });
  return { bytes: Buffer.concat(chunks), expected };
}

describe('MPEG-TS muxer', () => {
  it('writes whole 188-byte packets with sync bytes, valid PSI CRCs and per-PID continuity', () => {
    fc.assert(
      fc.property(fc.array(accessUnit, { minLength: 1, maxLength: 8 }), (units) => {
        const { bytes } = mux(units);
        expect(bytes.length % TS_PACKET_SIZE).toBe(0);
        const cc = new Map<number, number>();
        let lastPcr = -1;
        for (let pos = 0; pos < bytes.length; pos += TS_PACKET_SIZE) {
          const p = bytes.subarray(pos, pos + TS_PACKET_SIZE);
          expect(p[0]).toBe(0x47);
          const pid = ((p[1] & 0x1f) << 8) | p[2];
          const counter = p[3] & 0x0f;
          if (cc.has(pid)) expect(counter).toBe((cc.get(pid)! + 1) & 0x0f);
          cc.set(pid, counter);
          const adaptation = (p[3] >> 4) & 3;
          if ((adaptation & 2) !== 0 && p[4] > 0 && (p[5] & 0x10) !== 0) {
            const pcr = readPcr(p, 6);
            expect(pcr).toBeGreaterThanOrEqual(lastPcr);
            lastPcr = pcr;
          }
          if ((pid === 0 || pid === 0x1000) && (p[1] & 0x40) !== 0) {
            const payloadStart = adaptation & 2 ? 5 + p[4] : 4;
            const section = p.subarray(payloadStart + 1 + p[payloadStart]);
            const length = section.readUInt16BE(1) & 0x0fff;
            expect(crc32Mpeg(section.subarray(0, 3 + length))).toBe(0); // CRC over the section incl. its CRC is 0
          }
        }
        expect(lastPcr).toBeGreaterThan(0);
      }),
    );
  });

  it('round-trips: demux(mux(x)) gives back the access units (AUD and parameter sets added) and timestamps', () => {
    fc.assert(
      fc.property(
        fc.array(accessUnit, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(20_000), { maxLength: 5 }),
        (units, cuts) => {
          const { bytes, expected } = mux(units);
          const demuxer = new TsDemuxer();
          const events = [];
          let last = 0;
          for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))]
            .sort((a, b) => a - b)
            .concat(bytes.length)) {
            events.push(...demuxer.push(bytes.subarray(last, cut)));
            last = cut;
          }
          events.push(...demuxer.flush());
          const streams = events.find((e) => e.type === 'streams');
          expect(streams?.type === 'streams' && streams.streams.map((s) => s.codec)).toEqual(['h264', 'aac']);
          const video = events.filter((e) => e.type === 'pes' && e.codec === 'h264');
          expect(video).toHaveLength(expected.length);
          video.forEach((e, i) => {
            if (e.type !== 'pes') return;
            const nals = splitAnnexB(e.data);
            expect(h264NalType(nals[0])).toBe(9); // AUD first
            const slices = nals.filter((n) => h264NalType(n) !== 9 && h264NalType(n) !== 7 && h264NalType(n) !== 8);
            expect(slices).toEqual(expected[i].nals);
            if (units[i].keyframe) {
              expect(nals.some((n) => h264NalType(n) === 7)).toBe(true);
              expect(e.randomAccess).toBe(true);
            }
            expect(e.dts).toBe(expected[i].dts);
            expect(e.pts).toBe(expected[i].pts);
          });
          const audio = events.filter((e) => e.type === 'pes' && e.codec === 'aac');
          expect(audio).toHaveLength(expected.length);
          audio.forEach((e, i) => {
            if (e.type !== 'pes') return;
            const { frames, config } = splitAdtsFrames(e.data);
            expect(config?.sampleRate).toBe(48000);
            expect(frames[0].length).toBe(200 + i);
          });
          expect(demuxer.continuityErrors).toBe(0);
        },
      ),
    );
  });

  it('never throws on garbage and resynchronises on the next sync byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (garbage) => {
        const demuxer = new TsDemuxer();
        demuxer.push(Buffer.from(garbage));
        demuxer.flush();
        const { bytes } = mux([{ keyframe: true, slices: [Buffer.from([0x11, 0x22])] }]);
        const events = [...demuxer.push(bytes), ...demuxer.flush()];
        expect(events.some((e) => e.type === 'pes' && e.codec === 'h264')).toBe(true);
      }),
    );
  });
});
