import { readPesTimestamp } from '../mpegts/timestamp.js';
import {
  LENGTH_PREFIX_SIZE,
  MAX_ACCESS_UNIT_SIZE,
  MAX_UNBOUNDED_PES_SIZE,
  PACK_START_CODE,
  PROGRAM_END_CODE,
  START_CODE_SIZE,
  STREAM_ID,
  SYSTEM_HEADER_START_CODE,
} from './constants.js';
import { packHeaderSize } from './pack-header.js';
import { parsePsPes } from './pes-packet.js';
import { type ProgramStreamMap, parseProgramStreamMap } from './program-stream-map.js';
import { PsError } from './ps-error.js';
import {
  codecForPsStreamType,
  isElementaryStreamId,
  isVideoCodec,
  isVideoStreamId,
  type PsCodec,
  probeCodec,
} from './stream-type.js';
import { parseSystemHeader } from './system-header.js';

export interface PsStream {
  streamId: number;
  /** From the PSM; absent for a stream whose codec was probed from its payload. */
  streamType?: number;
  /** Undefined for a PSM entry whose stream_type we do not carry. */
  codec?: PsCodec;
}

/** The streams changed: a new or different PSM, or a stream without PSM entry probed from its payload. */
export interface PsStreamsEvent {
  type: 'streams';
  source: 'psm' | 'probe';
  streams: PsStream[];
}

/**
 * One elementary stream chunk: for video an Annex B access unit (the payloads of consecutive PES packets
 * of one stream that share a PTS, or carry none after the first), for audio the payload of one PES
 * (ADTS frames for AAC, raw samples for G.711).
 */
export interface PsFrameEvent {
  type: 'frame';
  kind: 'video' | 'audio';
  streamId: number;
  codec: PsCodec;
  /** 33-bit 90 kHz values as on the wire (no unwrapping); dts equals pts when the PES carried only a PTS. */
  pts?: number;
  dts?: number;
  /** A copy: never aliases the pushed buffers. */
  data: Buffer;
}

export type PsDemuxEvent = PsStreamsEvent | PsFrameEvent;

export interface PsDemuxerOptions {
  /** Largest video access unit reassembled; bigger ones are dropped and counted. */
  maxAccessUnitSize?: number;
  /** Largest video PES with PES_packet_length 0 searched for its end; beyond it the PES is dropped. */
  maxUnboundedPesSize?: number;
}

export interface PsDemuxStats {
  packs: number;
  systemHeaders: number;
  psms: number;
  pes: number;
  frames: number;
  /** Times the input was not at a start code where one should be; each skips to the next pack header. */
  resyncs: number;
  /** Bytes skipped while resyncing, or left incomplete at flush(). */
  skippedBytes: number;
  /** Pack headers, system headers or PSMs that failed to parse. */
  malformedHeaders: number;
  /** PSMs whose CRC_32 did not match (they are still used when they parse). */
  psmCrcErrors: number;
  /** PES packets dropped: unparseable, oversized, or a continuation without its access unit's start. */
  droppedPes: number;
  /** PES packets of streams whose codec is unknown (no PSM entry and nothing to probe). */
  unknownStreamPes: number;
  /** Access units dropped: over the size limit or cut by lost input. */
  droppedAccessUnits: number;
}

const PACK_START = Buffer.from([0x00, 0x00, 0x01, PACK_START_CODE]);

interface Assembly {
  streamId: number;
  codec: PsCodec;
  pts?: number;
  dts?: number;
  chunks: Buffer[];
  size: number;
  /** Over the size limit or cut by lost input: its PES are ignored until the next picture starts. */
  discard: boolean;
  /**
   * Input was lost after its last PES. If the stream goes on with a new picture, the unit had ended and is
   * emitted; if it goes on with a continuation PES, the unit was cut and is dropped.
   */
  interrupted: boolean;
}

/**
 * MPEG program stream demuxer (ISO/IEC 13818-1 2.5.3) for GB/T 28181 media: bytes in any split, events out.
 * - Walks start codes: pack headers (MPEG-2 with stuffing, or MPEG-1), system headers, PSMs, PES packets,
 *   program end codes. Anything else where a start code should be is garbage: it skips to the next pack
 *   start code, counting the resync, and drops the access units in progress.
 * - Codecs come from the PSM; a stream that no PSM named is probed from its payload (ffmpeg's PS has no PSM
 *   and puts H.264 on 0xE2).
 * - A video access unit ends when a PES of its stream brings a different PTS, or at flush(). A PES without
 *   PTS continues the unit in progress; one that follows lost input drops it (the picture was cut).
 * - A unit is taken once the next start code is seen behind it (so the last one waits for more input or
 *   flush()); a unit followed by anything else is dropped as cut, and the input resyncs.
 * Never throws on bad input: it drops and counts (see `stats`).
 */
export class PsDemuxer {
  private readonly maxAccessUnitSize: number;
  private readonly maxUnboundedPesSize: number;
  private pending: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Chunks pushed since the last parse, and their size. */
  private queued: Buffer[] = [];
  private queuedBytes = 0;
  /** Bytes from `pos` the unit there needs (with the start code after it) before parsing again is useful. */
  private needed = 0;
  private lost = false;
  /** Where the search for the end of an unbounded PES at `pos` resumes. */
  private unboundedScan = 0;
  private events: PsDemuxEvent[] = [];
  private psmStreams = new Map<number, PsStream>();
  private psmSignature = '';
  private readonly probed = new Map<number, PsCodec>();
  private readonly assemblies = new Map<number, Assembly>();
  private readonly counters: PsDemuxStats = {
    packs: 0,
    systemHeaders: 0,
    psms: 0,
    pes: 0,
    frames: 0,
    resyncs: 0,
    skippedBytes: 0,
    malformedHeaders: 0,
    psmCrcErrors: 0,
    droppedPes: 0,
    unknownStreamPes: 0,
    droppedAccessUnits: 0,
  };

  constructor(options: PsDemuxerOptions = {}) {
    this.maxAccessUnitSize = options.maxAccessUnitSize ?? MAX_ACCESS_UNIT_SIZE;
    this.maxUnboundedPesSize = options.maxUnboundedPesSize ?? MAX_UNBOUNDED_PES_SIZE;
  }

  get stats(): Readonly<PsDemuxStats> {
    return { ...this.counters };
  }

  /** Streams known so far: the PSM's entries, then probed ones. */
  get streams(): PsStream[] {
    const out = [...this.psmStreams.values()];
    for (const [streamId, codec] of this.probed) if (!this.psmStreams.has(streamId)) out.push({ streamId, codec });
    return out;
  }

  push(chunk: Buffer): PsDemuxEvent[] {
    if (chunk.length === 0) return this.take();
    this.queued.push(chunk);
    this.queuedBytes += chunk.length;
    // A unit of known size still incomplete: keep the chunks aside instead of copying them on every push.
    if (this.pending.length - this.pos + this.queuedBytes < this.needed) return this.take();
    this.gather();
    this.parse('more');
    return this.take();
  }

  /** Joins the unparsed rest of `pending` and the queued chunks into `pending`. */
  private gather(): void {
    if (this.queued.length === 0) return;
    const rest = this.pending.length - this.pos;
    this.pending =
      rest === 0 && this.queued.length === 1
        ? this.queued[0]
        : Buffer.concat([this.pending.subarray(this.pos), ...this.queued], rest + this.queuedBytes);
    this.unboundedScan -= this.pos;
    this.pos = 0;
    this.queued = [];
    this.queuedBytes = 0;
    this.needed = 0;
  }

  /**
   * Input was lost before the next push (an RTP sequence gap): resyncs at the next pack header; the access
   * units in progress are emitted if their stream goes on with a new picture, dropped if it goes on mid-picture.
   */
  discontinuity(): PsDemuxEvent[] {
    this.gather();
    this.parse('gap');
    const partial = this.pending.length - this.pos;
    if (partial > 0) this.dropPartial(this.pending.subarray(this.pos));
    this.counters.skippedBytes += partial;
    this.pending = Buffer.alloc(0);
    this.pos = 0;
    this.needed = 0;
    this.unboundedScan = 0;
    this.lost = true;
    for (const assembly of this.assemblies.values()) assembly.interrupted = true;
    return this.take();
  }

  /** End of input: completes the access units in progress and counts bytes of an incomplete packet. */
  flush(): PsDemuxEvent[] {
    this.gather();
    this.parse('end');
    this.counters.skippedBytes += this.pending.length - this.pos;
    this.pending = Buffer.alloc(0);
    this.pos = 0;
    this.needed = 0;
    this.unboundedScan = 0;
    for (const assembly of [...this.assemblies.values()]) this.finish(assembly);
    return this.take();
  }

  private take(): PsDemuxEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  /**
   * Walks the units in `pending`. A unit counts only once the 4 bytes after it are a start code (or at
   * the end of input or before a gap): a length field that points into garbage must not swallow good data.
   * 'end' also ends an unbounded PES at the end of the input.
   */
  private parse(mode: 'more' | 'gap' | 'end'): void {
    const final = mode !== 'more';
    const buf = this.pending;
    let p = this.pos;
    for (;;) {
      if (this.lost) {
        const found = indexOfPackStart(buf, p);
        if (found < 0) {
          const keep = Math.max(p, buf.length - (START_CODE_SIZE - 1));
          this.counters.skippedBytes += keep - p;
          p = keep;
          break;
        }
        this.counters.skippedBytes += found - p;
        p = found;
        this.lost = false;
      }
      if (buf.length - p < START_CODE_SIZE) break;
      const id = buf[p + 3];
      if (!isStartCodeAt(buf, p)) {
        p = this.loseSync(p);
        continue;
      }
      let size: number;
      if (id === PACK_START_CODE) {
        try {
          size = packHeaderSize(buf, p);
        } catch (err) {
          if (err instanceof PsError && err.code === 'PS_TRUNCATED') break;
          this.counters.malformedHeaders++;
          p = this.loseSync(p);
          continue;
        }
      } else if (id === PROGRAM_END_CODE) {
        size = START_CODE_SIZE;
      } else {
        if (buf.length - p < LENGTH_PREFIX_SIZE) break;
        const length = buf.readUInt16BE(p + 4);
        if (length === 0 && isVideoStreamId(id)) {
          const end = this.findUnboundedEnd(buf, p);
          if (end >= 0) size = end - p;
          else if (mode === 'end') size = buf.length - p;
          else if (buf.length - p > this.maxUnboundedPesSize) {
            this.counters.droppedPes++;
            p = this.loseSync(p);
            continue;
          } else break;
        } else {
          size = LENGTH_PREFIX_SIZE + length;
        }
      }
      if (buf.length - p < size) {
        this.needed = size + START_CODE_SIZE;
        break;
      }
      const next = p + size;
      if (next + START_CODE_SIZE > buf.length) {
        if (!final) {
          this.needed = size + START_CODE_SIZE;
          break;
        }
      } else if (!isStartCodeAt(buf, next)) {
        this.cutUnit(id, buf, p, size);
        p = this.loseSync(p);
        continue;
      }
      if (id === PACK_START_CODE) this.counters.packs++;
      else if (id !== PROGRAM_END_CODE) this.unit(id, buf, p, size);
      p = next;
      this.unboundedScan = p;
    }
    this.pos = p;
  }

  /** Marks the input as lost at p (its byte skipped, counted) and returns where the search for a pack header starts. */
  private loseSync(p: number): number {
    this.counters.resyncs++;
    this.counters.skippedBytes++;
    this.lost = true;
    this.unboundedScan = p + 1;
    for (const assembly of this.assemblies.values()) assembly.interrupted = true;
    return p + 1;
  }

  /** The start of a unit that will never complete: the picture it continues is cut. */
  private dropPartial(partial: Buffer): void {
    if (partial.length < START_CODE_SIZE || !isStartCodeAt(partial, 0)) {
      if (!this.lost) for (const assembly of this.assemblies.values()) this.discard(assembly);
      return;
    }
    const id = partial[3];
    const assembly = this.assemblies.get(id);
    if (!assembly || !isElementaryStreamId(id)) return;
    const opensPicture =
      partial.length >= 14 && (partial[6] & 0xc0) === 0x80 && (partial[7] & 0x80) !== 0 && partial[8] >= 5;
    if (!opensPicture || readPesTimestamp(partial, 9) === assembly.pts) this.discard(assembly);
  }

  private discard(assembly: Assembly): void {
    if (assembly.discard) return;
    assembly.discard = true;
    assembly.chunks = [];
    this.counters.droppedAccessUnits++;
  }

  /**
   * A unit not followed by a start code: its length was wrong or bytes are missing. A PES continuing a
   * picture in progress means that picture was cut: it is dropped.
   */
  private cutUnit(id: number, buf: Buffer, p: number, size: number): void {
    if (!isElementaryStreamId(id)) {
      this.counters.malformedHeaders++;
      return;
    }
    this.counters.droppedPes++;
    const assembly = this.assemblies.get(id);
    if (!assembly || assembly.discard) return;
    let pts: number | undefined;
    try {
      pts = parsePsPes(buf, p, size).pts;
    } catch {
      return; // not even a PES header: the interrupted rule decides
    }
    if (pts === undefined || pts === assembly.pts) this.discard(assembly);
  }

  /** End of a PES with PES_packet_length 0: the next start code that cannot be inside Annex B (00 00 01 >= B9). */
  private findUnboundedEnd(buf: Buffer, p: number): number {
    let i = Math.max(p + LENGTH_PREFIX_SIZE, this.unboundedScan);
    for (; i + START_CODE_SIZE <= buf.length; i++) {
      if (buf[i + 2] > 1) {
        i += 2;
        continue;
      }
      if (buf[i] === 0 && buf[i + 1] === 0 && buf[i + 2] === 1 && buf[i + 3] >= PROGRAM_END_CODE) return i;
    }
    this.unboundedScan = i;
    return -1;
  }

  private unit(id: number, buf: Buffer, p: number, size: number): void {
    if (id === SYSTEM_HEADER_START_CODE) {
      try {
        parseSystemHeader(buf, p);
        this.counters.systemHeaders++;
      } catch {
        this.counters.malformedHeaders++;
      }
      return;
    }
    if (id === STREAM_ID.PROGRAM_STREAM_MAP) {
      this.programStreamMap(buf, p);
      return;
    }
    if (!isElementaryStreamId(id)) return; // padding, private_stream_2, ECM/EMM, directory
    let pes: ReturnType<typeof parsePsPes>;
    try {
      pes = parsePsPes(buf, p, size);
    } catch {
      this.counters.droppedPes++;
      return;
    }
    this.counters.pes++;
    const codec = this.codecOf(id, pes.payload);
    if (!codec) {
      this.counters.unknownStreamPes++;
      return;
    }
    if (!isVideoCodec(codec)) {
      this.emitFrame('audio', id, codec, pes.pts, pes.dts, Buffer.from(pes.payload));
      return;
    }
    let assembly = this.assemblies.get(id);
    const startsPicture = pes.pts !== undefined && pes.pts !== assembly?.pts;
    if (assembly && (assembly.codec !== codec || startsPicture)) {
      this.finish(assembly);
      assembly = undefined;
    }
    if (assembly?.interrupted) {
      assembly.interrupted = false;
      this.discard(assembly);
    }
    if (!assembly) {
      if (pes.pts === undefined) {
        this.counters.droppedPes++; // a continuation whose picture's start we never saw
        return;
      }
      assembly = {
        streamId: id,
        codec,
        pts: pes.pts,
        dts: pes.dts,
        chunks: [],
        size: 0,
        discard: false,
        interrupted: false,
      };
      this.assemblies.set(id, assembly);
    }
    if (assembly.discard) return;
    assembly.size += pes.payload.length;
    if (assembly.size > this.maxAccessUnitSize) {
      this.discard(assembly);
      return;
    }
    assembly.chunks.push(pes.payload);
  }

  private programStreamMap(buf: Buffer, p: number): void {
    let psm: ProgramStreamMap;
    try {
      psm = parseProgramStreamMap(buf, p);
    } catch (err) {
      if (!(err instanceof PsError && err.code === 'PS_CRC')) {
        this.counters.malformedHeaders++;
        return;
      }
      this.counters.psmCrcErrors++;
      try {
        psm = parseProgramStreamMap(buf, p, { checkCrc: false });
      } catch {
        this.counters.malformedHeaders++;
        return;
      }
    }
    this.counters.psms++;
    const signature = psm.streams.map((s) => `${s.streamId}:${s.streamType}`).join(',');
    if (signature === this.psmSignature) return;
    this.psmSignature = signature;
    this.psmStreams = new Map();
    for (const s of psm.streams) {
      const codec = codecForPsStreamType(s.streamType);
      this.psmStreams.set(s.streamId, { streamId: s.streamId, streamType: s.streamType, codec });
    }
    this.events.push({ type: 'streams', source: 'psm', streams: this.streams });
  }

  private codecOf(id: number, payload: Buffer): PsCodec | undefined {
    const mapped = this.psmStreams.get(id);
    if (mapped) return mapped.codec;
    const known = this.probed.get(id);
    if (known) return known;
    const probed = probeCodec(id, payload);
    if (probed) {
      this.probed.set(id, probed);
      this.events.push({ type: 'streams', source: 'probe', streams: this.streams });
    }
    return probed;
  }

  private finish(assembly: Assembly): void {
    this.assemblies.delete(assembly.streamId);
    if (assembly.discard || assembly.size === 0) return;
    const data = Buffer.concat(assembly.chunks, assembly.size);
    this.emitFrame('video', assembly.streamId, assembly.codec, assembly.pts, assembly.dts, data);
  }

  private emitFrame(
    kind: 'video' | 'audio',
    streamId: number,
    codec: PsCodec,
    pts: number | undefined,
    dts: number | undefined,
    data: Buffer,
  ): void {
    this.counters.frames++;
    const event: PsFrameEvent = { type: 'frame', kind, streamId, codec, data };
    if (pts !== undefined) {
      event.pts = pts;
      event.dts = dts ?? pts;
    }
    this.events.push(event);
  }
}

/** 00 00 01 followed by a start code value a program stream can hold here (>= 0xB9). */
function isStartCodeAt(buf: Buffer, at: number): boolean {
  return buf[at] === 0 && buf[at + 1] === 0 && buf[at + 2] === 1 && buf[at + 3] >= PROGRAM_END_CODE;
}

/** Offset of the next 00 00 01 BA at or after from, or -1. */
function indexOfPackStart(buf: Buffer, from: number): number {
  return buf.indexOf(PACK_START, from);
}
