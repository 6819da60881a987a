import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitAdtsFrames } from '../aac/adts.js';
import { parseAudioSpecificConfig } from '../aac/audio-specific-config.js';
import { ascWith51Pce } from '../aac/test-configs.js';
import { splitAnnexB } from '../nal/annexb.js';
import { buildOpusHead } from '../opus/opus-head.js';
import {
  DEFAULT_AUDIO_PID,
  DEFAULT_PMT_PID,
  DEFAULT_VIDEO_PID,
  PID_PAT,
  STREAM_TYPE,
  TS_CLOCK_HZ,
  TS_PACKET_SIZE,
} from './constants.js';
import { TsMuxer } from './muxer.js';
import { parsePes } from './pes.js';
import {
  aacFixture,
  audioUnits,
  checkPackets,
  h264Fixture,
  hevcFixture,
  muxInterleaved,
  tablesIn,
  videoUnits,
} from './test-support.js';
import { TsError } from './ts-error.js';
import type { TsPacket } from './ts-packet.js';

const h264 = h264Fixture();
const aac = aacFixture();
const FRAME = TS_CLOCK_HZ / 25;

/** The PES packets of one PID regrouped: [first packet, whole PES bytes]. */
function pesOf(packets: readonly TsPacket[], pid: number): { first: TsPacket; bytes: Buffer }[] {
  const out: { first: TsPacket; parts: Buffer[] }[] = [];
  for (const p of packets) {
    if (p.pid !== pid) continue;
    if (p.payloadUnitStart) out.push({ first: p, parts: [] });
    out[out.length - 1].parts.push(p.payload);
  }
  return out.map((o) => ({ first: o.first, bytes: Buffer.concat(o.parts) }));
}

describe('TsMuxer', () => {
  it('muxes the H.264 + AAC fixtures: whole packets, continuity, tables before keyframes, PCR <= DTS', () => {
    const muxer = new TsMuxer({
      video: { codec: 'h264', config: h264.config },
      audio: { codec: 'aac', config: aac.config },
    });
    const video = h264.units.map((u, i) => ({ dts: i * FRAME, pts: i * FRAME, keyframe: u.keyframe, nals: u.nals }));
    const audio = aac.frames.map((f, i) => ({
      pts: Math.round((i * 1024 * TS_CLOCK_HZ) / aac.sampleRate),
      frames: [f],
    }));
    const outputs = muxInterleaved(muxer, video, audio);
    for (const out of outputs) expect(out.length % TS_PACKET_SIZE).toBe(0);
    const packets = checkPackets(Buffer.concat(outputs));

    const { pats, pmts } = tablesIn(packets);
    expect(pats[0].programs).toEqual([{ programNumber: 1, pid: DEFAULT_PMT_PID }]);
    expect(pmts[0].pcrPid).toBe(DEFAULT_VIDEO_PID);
    expect(pmts[0].streams.map((s) => [s.streamType, s.pid])).toEqual([
      [STREAM_TYPE.H264, DEFAULT_VIDEO_PID],
      [STREAM_TYPE.AAC_ADTS, DEFAULT_AUDIO_PID],
    ]);
    // The stream opens with PAT + PMT, and each keyframe's PES follows a PAT + PMT pair.
    expect(packets[0].pid).toBe(PID_PAT);
    packets.forEach((p, i) => {
      if (p.pid === DEFAULT_VIDEO_PID && p.payloadUnitStart && p.adaptation?.randomAccess) {
        expect([packets[i - 2].pid, packets[i - 1].pid]).toEqual([PID_PAT, DEFAULT_PMT_PID]);
      }
    });
    expect(pats).toHaveLength(h264.units.filter((u) => u.keyframe).length);

    const videoPes = pesOf(packets, DEFAULT_VIDEO_PID);
    expect(videoPes).toHaveLength(video.length);
    videoPes.forEach(({ first, bytes }, i) => {
      const pes = parsePes(bytes);
      expect(pes.streamId).toBe(0xe0);
      expect(pes.pts).toBe(video[i].pts);
      expect(first.adaptation?.pcr).toBe(video[i].dts);
      expect(first.adaptation?.randomAccess).toBe(video[i].keyframe);
      const nals = splitAnnexB(pes.payload);
      expect(nals[0]).toEqual(Buffer.from([0x09, 0xf0])); // AUD first
      expect(nals.slice(1)).toEqual(h264.units[i].nals);
    });
    const audioPes = pesOf(packets, DEFAULT_AUDIO_PID);
    expect(audioPes.map(({ bytes }) => parsePes(bytes).pts)).toEqual(audio.map((a) => a.pts));
    expect(audioPes.every(({ first }) => first.adaptation?.pcr === undefined)).toBe(true);
  });

  it('inserts the configuration parameter sets into keyframes that lack them, behind the AUD', () => {
    const hevc = hevcFixture();
    const muxer = new TsMuxer({ video: { codec: 'hevc', config: hevc.config } });
    const idr = hevc.units[0].nals.filter((n) => ((n[0] >> 1) & 0x3f) < 32);
    const packets = checkPackets(muxer.writeVideo({ dts: 0, pts: 0, keyframe: true, data: hevcLengthPrefixed(idr) }));
    const nals = splitAnnexB(parsePes(pesOf(packets, DEFAULT_VIDEO_PID)[0].bytes).payload);
    expect(nals).toEqual([Buffer.from([0x46, 0x01, 0x50]), ...hevc.parameterSets, ...idr]);
  });

  it('keeps every output whole packets with per-PID continuity, valid tables, rising PCR and PTS', () => {
    fc.assert(
      fc.property(videoUnits('h264'), audioUnits(), fc.integer({ min: 0, max: 9000 }), (video, audio, pcrDelay) => {
        const muxer = new TsMuxer({
          video: { codec: 'h264', config: h264.config },
          audio: { codec: 'aac', config: aac.config },
          pcrDelay,
        });
        const counters = new Map<number, number>();
        const packets = muxInterleaved(muxer, video, audio).flatMap((out) => checkPackets(out, counters));
        const { pats, pmts } = tablesIn(packets); // parsing checks each CRC
        expect(pats.length).toBeGreaterThan(0);
        expect(pmts.length).toBe(pats.length);
        let lastPcr = -Infinity;
        const firstPackets = packets.filter((p) => p.adaptation?.pcr !== undefined);
        for (const p of firstPackets) {
          expect(p.adaptation!.pcr!).toBeGreaterThanOrEqual(lastPcr);
          lastPcr = p.adaptation!.pcr!;
        }
        const videoPes = pesOf(packets, DEFAULT_VIDEO_PID).map(({ first, bytes }) => ({ first, pes: parsePes(bytes) }));
        videoPes.forEach(({ first, pes }, i) => {
          expect(first.adaptation?.pcr).toBe(video[i].dts - pcrDelay);
          expect(pes.dts ?? pes.pts).toBe(video[i].dts);
          expect(pes.pts).toBe(video[i].pts);
        });
        const audioPts = pesOf(packets, DEFAULT_AUDIO_PID).map(({ bytes }) => parsePes(bytes).pts!);
        expect(audioPts).toEqual(audio.map((a) => a.pts));
        expect([...audioPts].sort((a, b) => a - b)).toEqual(audioPts);
      }),
    );
  });

  it('puts the PCR on the audio PID and repeats the tables without video', () => {
    const muxer = new TsMuxer({ audio: { codec: 'aac', config: aac.config }, audioOnlyTableInterval: TS_CLOCK_HZ });
    const counters = new Map<number, number>();
    const packets = aac.frames.flatMap((frame, i) =>
      checkPackets(muxer.writeAudio({ pts: i * 0.25 * TS_CLOCK_HZ, data: frame }), counters),
    );
    const { pats, pmts } = tablesIn(packets);
    expect(pmts[0].pcrPid).toBe(DEFAULT_AUDIO_PID);
    // 14 frames at 0.25 s spacing, tables every second: at 0, 1, 2 and 3 s.
    expect(pats).toHaveLength(Math.ceil(aac.frames.length / 4));
    const audioPes = pesOf(packets, DEFAULT_AUDIO_PID);
    expect(audioPes.map((p) => p.first.adaptation?.pcr)).toEqual(aac.frames.map((_, i) => i * 0.25 * TS_CLOCK_HZ));
  });

  it('wraps AAC in ADTS, Opus in its control header on private_stream_1, MP3 as is', () => {
    const frame = Buffer.alloc(300, 0x21);
    const aacPes = parsePes(
      pesOf(
        checkPackets(new TsMuxer({ audio: { codec: 'aac', config: aac.config } }).writeAudio({ pts: 0, data: frame })),
        DEFAULT_AUDIO_PID,
      )[0].bytes,
    );
    expect(aacPes.streamId).toBe(0xc0);
    expect(aacPes.payload.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xf1]));
    expect((aacPes.payload.readUIntBE(3, 3) >> 5) & 0x1fff).toBe(307); // aac_frame_length includes the header
    expect(aacPes.payload.subarray(7)).toEqual(frame);

    const opusHead = buildOpusHead({ channels: 2, preSkip: 312, inputSampleRate: 48000 });
    const opusMuxer = new TsMuxer({ audio: { codec: 'opus', config: opusHead } });
    const opusPackets = checkPackets(opusMuxer.writeAudio({ pts: 0, data: [frame, frame.subarray(0, 10)] }));
    const opusPes = parsePes(pesOf(opusPackets, DEFAULT_AUDIO_PID)[0].bytes);
    expect(opusPes.streamId).toBe(0xbd);
    expect(opusPes.payload).toEqual(
      Buffer.concat([Buffer.from([0x7f, 0xe0, 0xff, 45]), frame, Buffer.from([0x7f, 0xe0, 10]), frame.subarray(0, 10)]),
    );
    const opusStream = tablesIn(opusPackets).pmts[0].streams[0];
    expect(opusStream.streamType).toBe(STREAM_TYPE.PRIVATE_PES);
    expect(opusStream.descriptors.map((d) => [d.tag, d.data.toString('hex')])).toEqual([
      [0x05, Buffer.from('Opus').toString('hex')],
      [0x7f, '8002'],
    ]);

    const mp3Packets = checkPackets(new TsMuxer({ audio: { codec: 'mp3' } }).writeAudio({ pts: 0, data: frame }));
    expect(tablesIn(mp3Packets).pmts[0].streams[0].streamType).toBe(STREAM_TYPE.MPEG1_AUDIO);
    expect(parsePes(pesOf(mp3Packets, DEFAULT_AUDIO_PID)[0].bytes).payload).toEqual(frame);
  });

  it('carries channel configuration 0 as ADTS with the PCE ahead of every frame', () => {
    const asc = ascWith51Pce(2);
    const pce = parseAudioSpecificConfig(asc).programConfigElement!;
    const muxer = new TsMuxer({ audio: { codec: 'aac', config: asc } });
    const frames = [Buffer.from([0x21, 0x10, 0x05]), Buffer.from([0x21, 0x10, 0x06, 0x07])];
    const packets = checkPackets(Buffer.concat(frames.map((data, i) => muxer.writeAudio({ pts: i * 1920, data }))));
    const pes = pesOf(packets, DEFAULT_AUDIO_PID).map((p) => parsePes(p.bytes).payload);
    pes.forEach((payload, i) => {
      const { config, frames: raw } = splitAdtsFrames(payload);
      expect(config.channelConfiguration).toBe(0);
      expect(raw).toEqual([Buffer.concat([pce, frames[i]])]);
    });
  });

  it('steps the PMT version when the streams change, and re-sends the tables', () => {
    const hevc = hevcFixture();
    const muxer = new TsMuxer({ video: { codec: 'h264', config: h264.config } });
    const versions = () => tablesIn(checkPackets(muxer.tables())).pmts.map((p) => p.version);
    expect(versions()).toEqual([0]);
    muxer.setVideoConfig(h264.config); // same streams: same version
    expect(versions()).toEqual([0]);
    muxer.setVideoConfig({ codec: 'hevc', config: hevc.config });
    expect(versions()).toEqual([1]);
    muxer.setAudioConfig({ codec: 'aac', config: aac.config });
    const delta = muxer.writeVideo({ dts: 0, pts: 0, keyframe: false, data: hevc.units[1].data });
    const { pmts } = tablesIn(checkPackets(delta));
    expect(pmts.map((p) => [p.version, p.streams.length])).toEqual([[2, 2]]);
  });

  it('refuses missing or malformed configuration and access units with TsError', () => {
    expect(() => new TsMuxer({}).writeVideo({ dts: 0, pts: 0, keyframe: true, data: Buffer.alloc(0) })).toThrowError(
      TsError,
    );
    expect(() => new TsMuxer({ audio: { codec: 'aac' } })).toThrowError(TsError);
    expect(() => new TsMuxer({ pcrDelay: -1 })).toThrowError(TsError);
    expect(() => new TsMuxer({ video: { codec: 'h264', config: Buffer.from([1, 2]) } })).toThrowError(
      expect.objectContaining({ code: 'TS_BAD_INPUT' }),
    );
    const muxer = new TsMuxer({ video: { codec: 'h264', config: h264.config } });
    expect(() =>
      muxer.writeVideo({ dts: 0, pts: 0, keyframe: false, data: Buffer.from([0, 0, 0, 9, 1]) }),
    ).toThrowError(expect.objectContaining({ code: 'TS_BAD_INPUT' }));
    expect(() => muxer.writeAudio({ pts: 0, data: Buffer.alloc(1) })).toThrowError(TsError);
  });
});

function hevcLengthPrefixed(nals: Buffer[]): Buffer {
  return Buffer.concat(nals.flatMap((n) => [Buffer.from([0, 0, n.length >> 8, n.length & 0xff]), n]));
}
