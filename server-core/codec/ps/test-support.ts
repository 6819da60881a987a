import fc from 'fast-check';
import { joinAnnexB } from '../nal/annexb.js';
import type { PsDemuxEvent, PsDemuxer, PsFrameEvent } from './demuxer.js';

/** NAL body bytes without zeros, so no start code or emulation prevention can appear inside. */
export const nalBody = (minLength: number, maxLength: number) =>
  fc.uint8Array({ minLength, maxLength }).map((b) => Buffer.from(b.map((x) => x || 1)));

export function h264AccessUnit(keyframe: boolean, sizes: number[]): Buffer {
  const nals = [Buffer.from([0x09, 0xf0])];
  if (keyframe) nals.push(Buffer.from([0x67, 0x42, 0xc0, 0x1e, 0xd9]), Buffer.from([0x68, 0xce, 0x3c, 0x80]));
  sizes.forEach((size, i) => {
    const nal = Buffer.alloc(size + 1, (i % 250) + 3);
    nal[0] = keyframe ? 0x65 : 0x41;
    nals.push(nal);
  });
  return joinAnnexB(nals);
}

export function hevcAccessUnit(keyframe: boolean, size: number): Buffer {
  const nals = [Buffer.from([0x46, 0x01, 0x50])];
  if (keyframe) {
    nals.push(Buffer.from([0x40, 0x01, 0x0c, 0x01]), Buffer.from([0x42, 0x01, 0x01, 0x01]));
    nals.push(Buffer.from([0x44, 0x01, 0xc1, 0x72]));
  }
  const slice = Buffer.alloc(size + 2, 0x55);
  slice[0] = keyframe ? 0x26 : 0x02; // IDR_W_RADL or TRAIL_R
  slice[1] = 0x01;
  nals.push(slice);
  return joinAnnexB(nals);
}

/** Pushes data in pieces cut at the given offsets, then flushes. */
export function demuxInPieces(demuxer: PsDemuxer, data: Buffer, cuts: number[]): PsDemuxEvent[] {
  const points = [...new Set(cuts.map((c) => Math.min(Math.max(0, c), data.length)))].sort((a, b) => a - b);
  const events: PsDemuxEvent[] = [];
  let at = 0;
  for (const point of [...points, data.length]) {
    events.push(...demuxer.push(data.subarray(at, point)));
    at = point;
  }
  events.push(...demuxer.flush());
  return events;
}

export const framesOf = (events: PsDemuxEvent[]) => events.filter((e): e is PsFrameEvent => e.type === 'frame');

/** Buffers as base64 strings: vitest compares big Buffers byte by byte, slowly. */
export const b64 = (bufs: readonly Buffer[]) => bufs.map((b) => b.toString('base64'));
