import fc from 'fast-check';
import { expect } from 'vitest';
import { splitAdtsFrames } from '../aac/adts.js';
import { buildAudioSpecificConfig } from '../aac/audio-specific-config.js';
import { buildAvcDecoderConfig } from '../h264/avcc.js';
import { buildHevcDecoderConfig } from '../hevc/hvcc.js';
import { splitAnnexB } from '../nal/annexb.js';
import { addEmulationPrevention } from '../nal/emulation-prevention.js';
import { joinLengthPrefixed } from '../nal/length-prefixed.js';
import { PID_PAT, TS_PACKET_SIZE, TS_SYNC_BYTE } from './constants.js';
import { type TsDemuxEvent, TsDemuxer, type TsPesEvent } from './demuxer.js';
import { AAC_ADTS, H264_ANNEXB, HEVC_ANNEXB } from './fixtures.js';
import type { TsMuxer } from './muxer.js';
import { parsePat } from './pat.js';
import { parsePmt } from './pmt.js';
import { parseTsPacket, type TsPacket } from './ts-packet.js';

/** Helpers for the MPEG-TS unit tests: the embedded fixtures as access units, and stream checks. */

export interface FixtureAccessUnit {
  nals: Buffer[];
  keyframe: boolean;
  /** Length-prefixed (4 bytes), as MediaPacket carries it. */
  data: Buffer;
}

const h264Type = (n: Buffer) => n[0] & 0x1f;
const hevcType = (n: Buffer) => (n[0] >> 1) & 0x3f;

/** Splits an Annex B stream into access units at its AUDs, keeping the AUDs out. */
function accessUnits(annexB: Buffer, type: (n: Buffer) => number, aud: number, isKey: (t: number) => boolean) {
  const units: Buffer[][] = [];
  for (const nal of splitAnnexB(annexB)) {
    if (type(nal) === aud) units.push([]);
    else units[units.length - 1].push(nal);
  }
  return units.map((nals) => ({
    nals,
    keyframe: nals.some((n) => isKey(type(n))),
    data: joinLengthPrefixed(nals, 4),
  }));
}

export function h264Fixture(): { config: Buffer; parameterSets: Buffer[]; units: FixtureAccessUnit[] } {
  const units = accessUnits(H264_ANNEXB, h264Type, 9, (t) => t === 5);
  const all = units.flatMap((u) => u.nals);
  const sps = all.filter((n) => h264Type(n) === 7).slice(0, 1);
  const pps = all.filter((n) => h264Type(n) === 8).slice(0, 1);
  return { config: buildAvcDecoderConfig(sps, pps), parameterSets: [...sps, ...pps], units };
}

export function hevcFixture(): { config: Buffer; parameterSets: Buffer[]; units: FixtureAccessUnit[] } {
  const units = accessUnits(HEVC_ANNEXB, hevcType, 35, (t) => t >= 16 && t <= 23);
  const all = units.flatMap((u) => u.nals);
  const vps = all.filter((n) => hevcType(n) === 32).slice(0, 1);
  const sps = all.filter((n) => hevcType(n) === 33).slice(0, 1);
  const pps = all.filter((n) => hevcType(n) === 34).slice(0, 1);
  return { config: buildHevcDecoderConfig(vps, sps, pps), parameterSets: [...vps, ...sps, ...pps], units };
}

export function aacFixture(): { config: Buffer; frames: Buffer[]; sampleRate: number } {
  const { config, frames } = splitAdtsFrames(AAC_ADTS);
  const asc = buildAudioSpecificConfig({
    objectType: config.objectType,
    sampleRate: config.sampleRate,
    channels: config.channels,
  });
  return { config: asc, frames, sampleRate: config.sampleRate };
}

/**
 * Checks a muxed stream: whole packets, each with the sync byte, continuity counters +1 mod 16 per PID on
 * packets with payload (continuing from `counters`, which it updates). Returns the parsed packets.
 */
export function checkPackets(ts: Buffer, counters = new Map<number, number>()): TsPacket[] {
  expect(ts.length % TS_PACKET_SIZE).toBe(0);
  const packets: TsPacket[] = [];
  for (let at = 0; at < ts.length; at += TS_PACKET_SIZE) {
    expect(ts[at]).toBe(TS_SYNC_BYTE);
    const packet = parseTsPacket(ts.subarray(at, at + TS_PACKET_SIZE));
    if (packet.hasPayload) {
      const last = counters.get(packet.pid);
      if (last !== undefined) expect(packet.continuityCounter).toBe((last + 1) & 0x0f);
      counters.set(packet.pid, packet.continuityCounter);
    }
    packets.push(packet);
  }
  return packets;
}

/** PAT and PMT of single-packet tables in a muxed stream, CRC-checked by their parsers. */
export function tablesIn(packets: readonly TsPacket[]) {
  const pats = packets.filter((p) => p.pid === PID_PAT).map((p) => parsePat(p.payload.subarray(1 + p.payload[0])));
  const pmtPid = pats[0]?.programs[0]?.pid;
  const pmts = packets.filter((p) => p.pid === pmtPid).map((p) => parsePmt(p.payload.subarray(1 + p.payload[0])));
  return { pats, pmts };
}

/** Demuxes a whole stream, fed in the given chunk sizes (cycled), then flushed. */
export function demux(ts: Buffer, chunkSizes: readonly number[] = [ts.length || 1]): TsDemuxEvent[] {
  const demuxer = new TsDemuxer();
  const events: TsDemuxEvent[] = [];
  let at = 0;
  let i = 0;
  while (at < ts.length) {
    const size = Math.max(1, chunkSizes[i++ % chunkSizes.length]);
    events.push(...demuxer.push(ts.subarray(at, at + size)));
    at += size;
  }
  events.push(...demuxer.flush());
  return events;
}

export function pesEvents(events: readonly TsDemuxEvent[], pid?: number): TsPesEvent[] {
  return events.filter((e): e is TsPesEvent => e.type === 'pes' && (pid === undefined || e.pid === pid));
}

export interface VideoInput {
  dts: number;
  pts: number;
  keyframe: boolean;
  nals: Buffer[];
}

export interface AudioInput {
  pts: number;
  frames: Buffer[];
}

/** Writes video and audio interleaved in decode order through one muxer; returns each write's output. */
export function muxInterleaved(muxer: TsMuxer, video: readonly VideoInput[], audio: readonly AudioInput[]): Buffer[] {
  const out: Buffer[] = [];
  let v = 0;
  let a = 0;
  while (v < video.length || a < audio.length) {
    if (a >= audio.length || (v < video.length && video[v].dts <= audio[a].pts)) {
      const au = video[v++];
      out.push(muxer.writeVideo({ ...au, data: joinLengthPrefixed(au.nals, 4) }));
    } else {
      const frame = audio[a++];
      out.push(muxer.writeAudio({ pts: frame.pts, data: frame.frames.length === 1 ? frame.frames[0] : frame.frames }));
    }
  }
  return out;
}

/** A NAL unit with the given header and a random body that holds no start code and ends in a stop bit. */
export function nalUnit(header: readonly number[], body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(header), addEmulationPrevention(Buffer.from(body)), Buffer.from([0x80])]);
}

/** Random access units of a codec, decode order, DTS increasing, PTS >= DTS. */
export function videoUnits(codec: 'h264' | 'hevc', options: { maxLength?: number; maxNal?: number } = {}) {
  const types = codec === 'h264' ? [1, 5, 6, 7, 8, 12] : [1, 19, 21, 39, 32, 33, 34];
  const header = (t: number) => (codec === 'h264' ? [0x60 | t] : [t << 1, 0x01]);
  const nal = fc
    .tuple(fc.constantFrom(...types), fc.uint8Array({ maxLength: options.maxNal ?? 700 }))
    .map(([t, body]) => nalUnit(header(t), body));
  const unit = fc.record({
    keyframe: fc.boolean(),
    nals: fc.array(nal, { minLength: 1, maxLength: 4 }),
    step: fc.integer({ min: 1, max: 6000 }),
    cts: fc.integer({ min: 0, max: 9000 }),
  });
  return fc.array(unit, { minLength: 1, maxLength: options.maxLength ?? 10 }).map((units) => {
    let dts = 900_000;
    return units.map((u): VideoInput => {
      dts += u.step;
      return { dts, pts: dts + u.cts, keyframe: u.keyframe, nals: u.nals };
    });
  });
}

/** Random audio PES inputs: one to three frames each, PTS increasing. */
export function audioUnits(options: { maxLength?: number; maxFrame?: number } = {}) {
  const unit = fc.record({
    frames: fc.array(
      fc.uint8Array({ minLength: 1, maxLength: options.maxFrame ?? 400 }).map((a) => Buffer.from(a)),
      { minLength: 1, maxLength: 3 },
    ),
    step: fc.integer({ min: 1, max: 4000 }),
  });
  return fc.array(unit, { maxLength: options.maxLength ?? 10 }).map((units) => {
    let pts = 900_000;
    return units.map((u): AudioInput => {
      pts += u.step;
      return { pts, frames: u.frames };
    });
  });
}
