import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitAdtsFrames } from '../aac/adts.js';
import { splitAnnexB } from '../nal/annexb.js';
import { buildOpusHead } from '../opus/opus-head.js';
import { DEFAULT_AUDIO_PID, DEFAULT_VIDEO_PID, STREAM_TYPE, TS_CLOCK_HZ, TS_PACKET_SIZE } from './constants.js';
import { TsDemuxer, type TsPesEvent } from './demuxer.js';
import { TsMuxer } from './muxer.js';
import { parseOpusAccessUnits } from './opus-access-unit.js';
import { packetizeSection } from './packetizer.js';
import { writePat } from './pat.js';
import { writePmt } from './pmt.js';
import {
  type AudioInput,
  aacFixture,
  audioUnits,
  demux,
  h264Fixture,
  hevcFixture,
  muxInterleaved,
  pesEvents,
  type VideoInput,
  videoUnits,
} from './test-support.js';

const h264 = h264Fixture();
const hevc = hevcFixture();
const aac = aacFixture();
const FRAME = TS_CLOCK_HZ / 25;

const h264Type = (n: Buffer) => n[0] & 0x1f;
const hevcType = (n: Buffer) => (n[0] >> 1) & 0x3f;

/** Checks demuxed video against the input: AUD first, configuration parameter sets where the muxer adds them. */
function expectVideo(codec: 'h264' | 'hevc', events: TsPesEvent[], input: readonly VideoInput[]) {
  const type = codec === 'h264' ? h264Type : hevcType;
  const [aud, sps] = codec === 'h264' ? [9, 7] : [35, 33];
  const parameterSets = codec === 'h264' ? h264.parameterSets : hevc.parameterSets;
  expect(events).toHaveLength(input.length);
  events.forEach((event, i) => {
    const au = input[i];
    expect(event.codec).toBe(codec);
    expect([event.pts, event.dts, event.randomAccess]).toEqual([au.pts, au.dts, au.keyframe]);
    const nals = splitAnnexB(event.data);
    expect(type(nals[0])).toBe(aud);
    let rest = nals.slice(1);
    if (au.keyframe && !au.nals.some((n) => type(n) === sps)) {
      expect(rest.slice(0, parameterSets.length)).toEqual(parameterSets);
      rest = rest.slice(parameterSets.length);
    }
    expect(rest).toEqual(au.nals);
  });
}

/** The audio frames of demuxed audio PES, unwrapped from ADTS / Opus control headers. */
function audioFrames(codec: 'aac' | 'opus' | 'mp3', events: TsPesEvent[]): Buffer[][] {
  return events.map((e) => {
    if (codec === 'aac') return splitAdtsFrames(e.data).frames;
    if (codec === 'opus') return parseOpusAccessUnits(e.data).map((u) => u.packet);
    return [e.data];
  });
}

/** Random chunk sizes for feeding a stream in pieces. */
const chunkSizes = fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 8 });

describe('TsDemuxer', () => {
  it('demuxes the muxed H.264 + AAC fixtures back to the same access units and frames', () => {
    const muxer = new TsMuxer({
      video: { codec: 'h264', config: h264.config },
      audio: { codec: 'aac', config: aac.config },
    });
    const video = h264.units.map((u, i) => ({ dts: i * FRAME, pts: i * FRAME, keyframe: u.keyframe, nals: u.nals }));
    const audio = aac.frames.map((f, i) => ({ pts: i * 2090, frames: [f] }));
    const events = demux(Buffer.concat(muxInterleaved(muxer, video, audio)));
    expect(events[0]).toEqual({
      type: 'streams',
      streams: [
        { pid: DEFAULT_VIDEO_PID, streamType: STREAM_TYPE.H264, codec: 'h264' },
        { pid: DEFAULT_AUDIO_PID, streamType: STREAM_TYPE.AAC_ADTS, codec: 'aac' },
      ],
    });
    expect(events.filter((e) => e.type === 'streams')).toHaveLength(1);
    expectVideo('h264', pesEvents(events, DEFAULT_VIDEO_PID), video);
    const audioEvents = pesEvents(events, DEFAULT_AUDIO_PID);
    expect(audioFrames('aac', audioEvents)).toEqual(aac.frames.map((f) => [f]));
    expect(audioEvents.map((e) => e.pts)).toEqual(audio.map((a) => a.pts));
    expect(splitAdtsFrames(audioEvents[0].data).config.sampleRate).toBe(aac.sampleRate);
  });

  it('demuxes the HEVC fixture', () => {
    const muxer = new TsMuxer({ video: { codec: 'hevc', config: hevc.config } });
    const video = hevc.units.map((u, i) => ({ dts: i * FRAME, pts: i * FRAME, keyframe: u.keyframe, nals: u.nals }));
    const events = demux(Buffer.concat(muxInterleaved(muxer, video, [])));
    expectVideo('hevc', pesEvents(events), video);
  });

  for (const [videoCodec, audioCodec] of [
    ['h264', 'aac'],
    ['hevc', 'opus'],
    ['h264', 'mp3'],
  ] as const) {
    it(`round-trips random ${videoCodec} + ${audioCodec} in any split: demux(mux(x)) = x`, () => {
      const audioConfig =
        audioCodec === 'aac'
          ? aac.config
          : audioCodec === 'opus'
            ? buildOpusHead({ channels: 2, preSkip: 312, inputSampleRate: 48000 })
            : undefined;
      fc.assert(
        fc.property(videoUnits(videoCodec), audioUnits(), chunkSizes, (video, audio, sizes) => {
          const config = videoCodec === 'h264' ? h264.config : hevc.config;
          const muxer = new TsMuxer({
            video: { codec: videoCodec, config },
            audio: { codec: audioCodec, config: audioConfig },
          });
          const ts = Buffer.concat(muxInterleaved(muxer, video, audio));
          const whole = demux(ts);
          expect(demux(ts, sizes)).toEqual(whole);
          const streams = whole.find((e) => e.type === 'streams');
          expect(streams?.type === 'streams' && streams.streams.map((s) => s.codec)).toEqual([videoCodec, audioCodec]);
          expectVideo(videoCodec, pesEvents(whole, DEFAULT_VIDEO_PID), video);
          const audioEvents = pesEvents(whole, DEFAULT_AUDIO_PID);
          expect(audioEvents.map((e) => e.pts)).toEqual(audio.map((a: AudioInput) => a.pts));
          const expected = audio.map((a) => (audioCodec === 'mp3' ? [Buffer.concat(a.frames)] : a.frames));
          expect(audioFrames(audioCodec, audioEvents)).toEqual(expected);
        }),
      );
    });
  }

  it('reports the Opus channel count from the descriptor', () => {
    const head = buildOpusHead({ channels: 1, preSkip: 312, inputSampleRate: 48000 });
    const muxer = new TsMuxer({ audio: { codec: 'opus', config: head } });
    const events = demux(muxer.writeAudio({ pts: 0, data: Buffer.from([0xfc]) }));
    expect(events[0]).toEqual({
      type: 'streams',
      streams: [{ pid: DEFAULT_AUDIO_PID, streamType: STREAM_TYPE.PRIVATE_PES, codec: 'opus', channels: 1 }],
    });
  });

  it('emits a bounded PES as soon as it is complete, an unbounded one at the next start or flush', () => {
    const muxer = new TsMuxer({
      video: { codec: 'h264', config: h264.config },
      audio: { codec: 'aac', config: aac.config },
    });
    const demuxer = new TsDemuxer();
    const audioEvents = demuxer.push(muxer.writeAudio({ pts: 0, data: aac.frames[0] }));
    expect(audioEvents.map((e) => e.type)).toEqual(['streams', 'pes']);
    // A video PES whose length does not fit 16 bits is unbounded: it ends at flush.
    const big = { dts: 0, pts: 0, keyframe: true, nals: [Buffer.alloc(70_000, 0x65)] };
    expect(pesEvents(demuxer.push(muxInterleaved(muxer, [big], [])[0]))).toHaveLength(0);
    const flushed = pesEvents(demuxer.flush());
    expect(flushed).toHaveLength(1);
    expect(splitAnnexB(flushed[0].data).at(-1)?.length).toBe(70_000);
  });

  it('counts a lost packet as a continuity error and drops only the PES it broke', () => {
    const muxer = new TsMuxer({ video: { codec: 'h264', config: h264.config } });
    const video = h264.units.map((u, i) => ({ dts: i * FRAME, pts: i * FRAME, keyframe: u.keyframe, nals: u.nals }));
    const outputs = muxInterleaved(muxer, video, []);
    // Drop the second packet of the first access unit (PAT, PMT, then the PES).
    const first = outputs[0];
    outputs[0] = Buffer.concat([first.subarray(0, 3 * TS_PACKET_SIZE), first.subarray(4 * TS_PACKET_SIZE)]);
    const demuxer = new TsDemuxer();
    const events = pesEvents([...demuxer.push(Buffer.concat(outputs)), ...demuxer.flush()]);
    expect(demuxer.continuityErrors).toBe(1);
    expect(demuxer.stats.droppedPes).toBe(1);
    expect(events.map((e) => e.pts)).toEqual(video.slice(1).map((v) => v.pts));
  });

  it('ignores a duplicated packet (2.4.3.3)', () => {
    const muxer = new TsMuxer({ audio: { codec: 'aac', config: aac.config } });
    const ts = muxer.writeAudio({ pts: 0, data: Buffer.alloc(400, 1) });
    const third = ts.subarray(2 * TS_PACKET_SIZE, 3 * TS_PACKET_SIZE);
    const duplicated = Buffer.concat([ts.subarray(0, 3 * TS_PACKET_SIZE), third, ts.subarray(3 * TS_PACKET_SIZE)]);
    const demuxer = new TsDemuxer();
    const events = pesEvents([...demuxer.push(duplicated), ...demuxer.flush()]);
    expect(demuxer.continuityErrors).toBe(0);
    expect(splitAdtsFrames(events[0].data).frames).toEqual([Buffer.alloc(400, 1)]);
  });

  it('reads a PMT spanning several packets, and two sections sharing one packet', () => {
    const pat = writePat({ transportStreamId: 1, version: 0, programs: [{ programNumber: 1, pid: 0x1000 }] });
    const descriptors = Array.from({ length: 5 }, (_, i) => ({ tag: 0x80 + i, data: Buffer.alloc(100, i) }));
    const pmt = writePmt({
      programNumber: 1,
      version: 3,
      pcrPid: 0x100,
      programDescriptors: descriptors,
      streams: [{ streamType: STREAM_TYPE.H264, pid: 0x100, descriptors: [] }],
    });
    expect(pmt.length).toBeGreaterThan(2 * 184);
    const ts = Buffer.concat([
      packetizeSection(pat, { pid: 0, continuityCounter: 0 }),
      packetizeSection(pmt, { pid: 0x1000, continuityCounter: 0 }),
    ]);
    expect(demux(ts, [7])).toEqual([
      { type: 'streams', streams: [{ pid: 0x100, streamType: STREAM_TYPE.H264, codec: 'h264' }] },
    ]);
    // PAT followed by a second (identical) PAT in one packet: one pointer_field, back-to-back sections.
    const shared = packetizeSection(Buffer.concat([pat, pat]), { pid: 0, continuityCounter: 0 });
    const demuxer = new TsDemuxer();
    demuxer.push(shared);
    expect(demuxer.stats.malformedSections).toBe(0);
  });

  it('resyncs after garbage and reads the same stream', () => {
    const muxer = new TsMuxer({ video: { codec: 'h264', config: h264.config } });
    const video = h264.units.map((u, i) => ({ dts: i * FRAME, pts: i * FRAME, keyframe: u.keyframe, nals: u.nals }));
    const ts = Buffer.concat(muxInterleaved(muxer, video, []));
    const clean = demux(ts);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), chunkSizes, (garbage, sizes) => {
        const noise = Buffer.from(garbage.map((b) => (b === 0x47 ? 0 : b)));
        const demuxer = new TsDemuxer();
        const events = demux(Buffer.concat([noise, ts]), sizes);
        expect(events).toEqual(clean);
        if (noise.length > 0) {
          demuxer.push(Buffer.concat([noise, ts]));
          expect(demuxer.stats.syncLosses).toBe(1);
        }
      }),
    );
  });

  it('never throws on random bytes, whatever the split, and reads them the same in any split', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), chunkSizes, (bytes, sizes) => {
        const buf = Buffer.from(bytes);
        expect(demux(buf, sizes)).toEqual(demux(buf));
      }),
    );
  });

  it('never throws on a corrupted stream, and reads it the same in any split', () => {
    fc.assert(
      fc.property(
        videoUnits('h264', { maxLength: 4 }),
        audioUnits({ maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 20 }),
        chunkSizes,
        (video, audio, flips, sizes) => {
          const muxer = new TsMuxer({
            video: { codec: 'h264', config: h264.config },
            audio: { codec: 'aac', config: aac.config },
          });
          const ts = Buffer.from(Buffer.concat(muxInterleaved(muxer, video, audio)));
          for (const [at, xor] of flips) ts[at % ts.length] ^= xor;
          expect(demux(ts, sizes)).toEqual(demux(ts));
        },
      ),
    );
  });
});
