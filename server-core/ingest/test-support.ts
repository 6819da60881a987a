import { readFileSync } from 'node:fs';
import { TsDemuxer, type TsPesEvent } from '../codec/mpegts/demuxer.js';
import { splitAnnexB } from '../codec/nal/annexb.js';
import { TsIngest, type TsIngestOptions } from '../formats/ts/to-packets.js';
import type { MediaPacket } from '../hub/media-packet.js';

/**
 * Fixtures made by ffmpeg 7 (Debian), 2 s unless said, testsrc 320x240 at 25 fps, sine 440 Hz:
 * - h264-aac.m2ts: libx264 -g 25 -bf 0 + AAC-LC 44.1 kHz mono (lavfi sine), -f mpegts.
 * - h264-bframes.m2ts: the same with -bf 2 (pts != dts).
 * - hevc-aac.m2ts: libx265 keyint 25, bframes 2 + AAC.
 * - h264-wrap.m2ts: as h264-aac with -output_ts_offset 95441.3: the 33-bit PTS wraps about 1 s in.
 * - mp3.m2ts / opus.m2ts: 1 s libmp3lame 44.1 kHz mono / libopus 48 kHz stereo, audio only.
 * - mono-48k.aac: 1 s AAC-LC 48 kHz mono, -f adts (48 frames).
 * - size-change.h264 / .hevc: Annex B with AUDs (x264/x265 aud=1), 10 frames of 320x240 then 10 of 160x120,
 *   keyframes every 5 frames.
 * (.m2ts only to keep the TypeScript compiler off them; they are plain 188-byte TS.)
 */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

export function ingest(bytes: Buffer | readonly Buffer[], options?: TsIngestOptions) {
  const ts = new TsIngest(options);
  const packets: MediaPacket[] = [];
  for (const chunk of Buffer.isBuffer(bytes) ? [bytes] : bytes) packets.push(...ts.push(chunk));
  packets.push(...ts.flush());
  return { packets, stats: ts.stats, ingest: ts };
}

/** The PES events of one codec in a TS fixture: Annex B access units / ADTS payloads with 90 kHz times. */
export function pesOf(name: string, codec: TsPesEvent['codec']): TsPesEvent[] {
  const demuxer = new TsDemuxer();
  const events = [...demuxer.push(fixture(name)), ...demuxer.flush()];
  return events.filter((e): e is TsPesEvent => e.type === 'pes' && e.codec === codec);
}

/** Access units of an Annex B file whose every AU opens with an AUD (H.264 type 9, HEVC type 35). */
export function accessUnitsByAud(buf: Buffer, codec: 'h264' | 'hevc'): Buffer[][] {
  const isAud = codec === 'h264' ? (n: Buffer) => (n[0] & 0x1f) === 9 : (n: Buffer) => ((n[0] >> 1) & 0x3f) === 35;
  const units: Buffer[][] = [];
  for (const nal of splitAnnexB(buf)) {
    if (isAud(nal) || units.length === 0) units.push([]);
    units[units.length - 1].push(nal);
  }
  return units;
}

/** Splits buf at the given cut points (any order, duplicates and out-of-range ones ignored). */
export function splitAt(buf: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < buf.length))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let at = 0;
  for (const p of points) {
    chunks.push(buf.subarray(at, p));
    at = p;
  }
  chunks.push(buf.subarray(at));
  return chunks;
}

/** A compact, comparable view of packets. */
export function summarize(packets: readonly MediaPacket[]) {
  return packets.map((p) => ({
    kind: p.kind,
    codec: p.codec,
    dts: p.dts,
    pts: p.pts,
    keyframe: p.keyframe,
    sequenceHeader: p.sequenceHeader,
    payload: p.payload.toString('base64'),
  }));
}

export function isMonotonic(values: readonly number[]): boolean {
  return values.every((v, i) => i === 0 || v >= values[i - 1]);
}
