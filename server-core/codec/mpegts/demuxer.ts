import {
  MAX_PES_SIZE,
  MAX_PSI_SECTION_SIZE,
  PID_NULL,
  PID_PAT,
  TABLE_ID_PMT,
  TS_PACKET_SIZE,
  TS_SYNC_BYTE,
} from './constants.js';
import { opusChannelsForCode, readOpusChannelConfigCode } from './opus-descriptor.js';
import { parsePat } from './pat.js';
import { parsePes } from './pes.js';
import { parsePmt } from './pmt.js';
import { psiSectionSize } from './psi-section.js';
import { codecForStream, type TsCodec } from './stream-type.js';
import { parseTsPacket, type TsPacket } from './ts-packet.js';

export interface TsDemuxStream {
  pid: number;
  streamType: number;
  codec: TsCodec;
  /** Opus: output channels per the opus_audio_descriptor, when it says. */
  channels?: number;
}

export interface TsStreamsEvent {
  type: 'streams';
  streams: TsDemuxStream[];
}

export interface TsPesEvent {
  type: 'pes';
  pid: number;
  codec: TsCodec;
  streamId: number;
  /** 33-bit 90 kHz values as on the wire (no unwrapping); dts equals pts when the PES carries only a PTS. */
  pts?: number;
  dts?: number;
  /** random_access_indicator of the PES's first packet. */
  randomAccess: boolean;
  /** The whole PES payload: Annex B for video, ADTS for AAC, Opus access units with their control headers. */
  data: Buffer;
}

export type TsDemuxEvent = TsStreamsEvent | TsPesEvent;

export interface TsDemuxerOptions {
  /** Largest PES reassembled; bigger ones are dropped and counted. */
  maxPesSize?: number;
}

export interface TsDemuxStats {
  /** Transport packets read. */
  packets: number;
  /** Times the stream was not at a sync byte where a packet should start. */
  syncLosses: number;
  /** Packets missing on a PID (continuity_counter jumps without a discontinuity_indicator). */
  continuityErrors: number;
  /** Packets that failed to parse, had transport_error_indicator set, or a partial packet at flush(). */
  malformedPackets: number;
  /** PAT/PMT sections that failed to parse (CRC, lengths) or arrived incomplete. */
  malformedSections: number;
  /** PES packets dropped: unparseable, cut short by a lost packet, or over the size limit. */
  droppedPes: number;
}

interface PesAssembly {
  chunks: Buffer[];
  size: number;
  /** Whole PES size from PES_packet_length; 0 while unknown or unbounded. */
  expected: number;
  lengthKnown: boolean;
  randomAccess: boolean;
}

interface SectionAssembly {
  chunks: Buffer[];
  size: number;
}

/** Bytes of a PES needed to read PES_packet_length. */
const PES_LENGTH_PREFIX = 6;

/**
 * MPEG-TS demuxer (ISO/IEC 13818-1) for input from the network: bytes in any split, events out.
 * - Finds packets by the sync byte; after losing it, resyncs where two sync bytes are 188 bytes apart.
 * - Follows the PAT to the first program's PMT and reports its streams whenever they change.
 * - Reassembles each elementary PID's PES: one ends at the next payload_unit_start on its PID, when
 *   PES_packet_length is reached, or at flush(). A continuity error drops the PES in progress.
 * Never throws on bad input: malformed packets, sections and PES are skipped and counted in `stats`.
 * Payloads may be subarrays of the pushed buffers, which therefore must not be reused by the caller.
 */
export class TsDemuxer {
  private readonly maxPesSize: number;
  private pending: Buffer = Buffer.alloc(0);
  private locked = true;
  private events: TsDemuxEvent[] = [];
  private readonly continuity = new Map<number, number>();
  private readonly sections = new Map<number, SectionAssembly>();
  private readonly assemblies = new Map<number, PesAssembly>();
  private pmtPid?: number;
  private programNumber?: number;
  private streams = new Map<number, TsDemuxStream>();
  private streamsSignature = '';
  private readonly counters: TsDemuxStats = {
    packets: 0,
    syncLosses: 0,
    continuityErrors: 0,
    malformedPackets: 0,
    malformedSections: 0,
    droppedPes: 0,
  };

  constructor(options: TsDemuxerOptions = {}) {
    this.maxPesSize = options.maxPesSize ?? MAX_PES_SIZE;
  }

  get continuityErrors(): number {
    return this.counters.continuityErrors;
  }

  get stats(): Readonly<TsDemuxStats> {
    return { ...this.counters };
  }

  push(bytes: Buffer): TsDemuxEvent[] {
    let buf = bytes;
    if (this.pending.length > 0) {
      const need = TS_PACKET_SIZE - this.pending.length;
      if (this.locked && this.pending[0] === TS_SYNC_BYTE && need > 0 && bytes.length >= need) {
        // The packet straddling the two chunks; the rest of the chunk is read in place.
        this.packet(Buffer.concat([this.pending, bytes.subarray(0, need)]));
        buf = bytes.subarray(need);
      } else {
        buf = Buffer.concat([this.pending, bytes]);
      }
    }
    this.pending = buf.subarray(this.drain(buf, false));
    return this.takeEvents();
  }

  /** Ends the input: emits PES still open (unbounded video), drops partial data. */
  flush(): TsDemuxEvent[] {
    const at = this.drain(this.pending, true);
    if (this.pending.length > at) this.counters.malformedPackets++;
    this.pending = Buffer.alloc(0);
    for (const [pid, assembly] of this.assemblies) this.finishPes(pid, assembly);
    this.assemblies.clear();
    this.sections.clear();
    return this.takeEvents();
  }

  private takeEvents(): TsDemuxEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  /**
   * Reads the whole packets of buf; returns where the unread rest starts. When out of sync it waits for the
   * byte 188 after a candidate sync byte before trusting it, so any split of the input reads the same.
   */
  private drain(buf: Buffer, final: boolean): number {
    let at = 0;
    while (buf.length - at >= TS_PACKET_SIZE) {
      if (this.locked && buf[at] === TS_SYNC_BYTE) {
        this.packet(buf.subarray(at, at + TS_PACKET_SIZE));
        at += TS_PACKET_SIZE;
        continue;
      }
      if (this.locked) {
        this.locked = false;
        this.counters.syncLosses++;
      }
      const candidate = this.findSync(buf, at, final);
      if (candidate.wait) return candidate.at;
      at = candidate.at;
      this.locked = true;
    }
    return at;
  }

  private findSync(buf: Buffer, from: number, final: boolean): { at: number; wait: boolean } {
    let i = from;
    for (;;) {
      i = buf.indexOf(TS_SYNC_BYTE, i);
      if (i < 0) return { at: buf.length, wait: true };
      if (buf.length - i < TS_PACKET_SIZE) return { at: i, wait: true };
      const next = i + TS_PACKET_SIZE;
      if (next === buf.length) return { at: i, wait: !final };
      if (buf[next] === TS_SYNC_BYTE) return { at: i, wait: false };
      i++;
    }
  }

  private packet(bytes: Buffer): void {
    this.counters.packets++;
    let packet: TsPacket;
    try {
      packet = parseTsPacket(bytes);
    } catch {
      this.counters.malformedPackets++;
      return;
    }
    if (packet.transportError) {
      this.counters.malformedPackets++;
      return;
    }
    const { pid } = packet;
    if (pid === PID_NULL || !packet.hasPayload) return;
    if (!this.checkContinuity(packet)) return;
    if (packet.scrambling !== 0) return; // nothing we can read
    if (pid === PID_PAT || pid === this.pmtPid) this.sectionPayload(pid, packet);
    else {
      const stream = this.streams.get(pid);
      if (stream) this.pesPayload(stream, packet);
    }
  }

  /** Continuity (2.4.3.3): false for a duplicate packet, which is dropped; a gap drops the PID's partial data. */
  private checkContinuity(packet: TsPacket): boolean {
    const last = this.continuity.get(packet.pid);
    this.continuity.set(packet.pid, packet.continuityCounter);
    if (last === undefined || packet.adaptation?.discontinuity) return true;
    if (packet.continuityCounter === last) return false;
    if (packet.continuityCounter !== ((last + 1) & 0x0f)) {
      this.counters.continuityErrors++;
      if (this.assemblies.delete(packet.pid)) this.counters.droppedPes++;
      if (this.sections.delete(packet.pid)) this.counters.malformedSections++;
    }
    return true;
  }

  /** PSI payload (2.4.4.1-2): pointer_field on unit start, sections may span packets or share one. */
  private sectionPayload(pid: number, packet: TsPacket): void {
    const { payload } = packet;
    if (!packet.payloadUnitStart) {
      const partial = this.sections.get(pid);
      if (partial) this.appendSection(pid, partial, payload);
      return;
    }
    if (payload.length < 1 || 1 + payload[0] > payload.length) {
      this.counters.malformedPackets++;
      this.sections.delete(pid);
      return;
    }
    const start = 1 + payload[0];
    const partial = this.sections.get(pid);
    if (partial) {
      this.appendSection(pid, partial, payload.subarray(1, start));
      if (this.sections.delete(pid)) this.counters.malformedSections++; // still incomplete
    }
    let rest = payload.subarray(start);
    while (rest.length > 0 && rest[0] !== 0xff) {
      const size = psiSectionSize(rest);
      if (size !== undefined && size > MAX_PSI_SECTION_SIZE) {
        this.counters.malformedSections++;
        return;
      }
      if (size === undefined || size > rest.length) {
        this.sections.set(pid, { chunks: [rest], size: rest.length });
        return;
      }
      this.section(pid, rest.subarray(0, size));
      rest = rest.subarray(size);
    }
  }

  private appendSection(pid: number, partial: SectionAssembly, bytes: Buffer): void {
    partial.chunks.push(bytes);
    partial.size += bytes.length;
    const head = partial.chunks.length === 1 ? partial.chunks[0] : Buffer.concat(partial.chunks, partial.size);
    partial.chunks = [head];
    const size = psiSectionSize(head);
    if (size !== undefined && size > MAX_PSI_SECTION_SIZE) {
      this.sections.delete(pid);
      this.counters.malformedSections++;
      return;
    }
    if (size === undefined || size > head.length) return;
    this.sections.delete(pid);
    this.section(pid, head.subarray(0, size));
  }

  private section(pid: number, bytes: Buffer): void {
    try {
      if (pid === PID_PAT) {
        const program = parsePat(bytes).programs.find((p) => p.programNumber !== 0);
        if (program && program.pid !== this.pmtPid) {
          if (this.pmtPid !== undefined) this.sections.delete(this.pmtPid);
          this.pmtPid = program.pid;
          this.programNumber = program.programNumber;
        }
        return;
      }
      if (bytes[0] !== TABLE_ID_PMT) return;
      const pmt = parsePmt(bytes);
      if (pmt.programNumber !== this.programNumber) return;
      this.updateStreams(
        pmt.streams.map((s) => {
          const stream: TsDemuxStream = {
            pid: s.pid,
            streamType: s.streamType,
            codec: codecForStream(s.streamType, s.descriptors),
          };
          if (stream.codec === 'opus') {
            const code = readOpusChannelConfigCode(s.descriptors);
            const channels = code === undefined ? undefined : opusChannelsForCode(code);
            if (channels !== undefined) stream.channels = channels;
          }
          return stream;
        }),
      );
    } catch {
      this.counters.malformedSections++;
    }
  }

  private updateStreams(streams: TsDemuxStream[]): void {
    const signature = JSON.stringify(streams);
    if (signature === this.streamsSignature) return;
    this.streamsSignature = signature;
    const next = new Map(streams.map((s) => [s.pid, s]));
    for (const [pid, old] of this.streams) {
      const now = next.get(pid);
      if (!now || now.codec !== old.codec || now.streamType !== old.streamType) this.assemblies.delete(pid);
    }
    this.streams = next;
    this.events.push({ type: 'streams', streams });
  }

  private pesPayload(stream: TsDemuxStream, packet: TsPacket): void {
    const { pid } = stream;
    let assembly = this.assemblies.get(pid);
    if (packet.payloadUnitStart) {
      if (assembly) this.finishPes(pid, assembly);
      assembly = {
        chunks: [],
        size: 0,
        expected: 0,
        lengthKnown: false,
        randomAccess: packet.adaptation?.randomAccess ?? false,
      };
      this.assemblies.set(pid, assembly);
    } else if (!assembly) {
      return; // joined mid-PES: wait for the next unit start
    }
    if (packet.payload.length > 0) {
      assembly.chunks.push(packet.payload);
      assembly.size += packet.payload.length;
    }
    if (assembly.size > this.maxPesSize) {
      this.assemblies.delete(pid);
      this.counters.droppedPes++;
      return;
    }
    if (!assembly.lengthKnown && assembly.size >= PES_LENGTH_PREFIX) {
      const first = assembly.chunks[0];
      const prefix = first.length >= PES_LENGTH_PREFIX ? first : Buffer.concat(assembly.chunks);
      const packetLength = prefix.readUInt16BE(4);
      assembly.expected = packetLength === 0 ? 0 : PES_LENGTH_PREFIX + packetLength;
      assembly.lengthKnown = true;
    }
    if (assembly.expected > 0 && assembly.size >= assembly.expected) {
      this.assemblies.delete(pid);
      this.finishPes(pid, assembly);
    }
  }

  private finishPes(pid: number, assembly: PesAssembly): void {
    const stream = this.streams.get(pid);
    if (!stream) return;
    const bytes = assembly.chunks.length === 1 ? assembly.chunks[0] : Buffer.concat(assembly.chunks, assembly.size);
    let pes: ReturnType<typeof parsePes>;
    try {
      pes = parsePes(bytes);
    } catch {
      this.counters.droppedPes++;
      return;
    }
    const event: TsPesEvent = {
      type: 'pes',
      pid,
      codec: stream.codec,
      streamId: pes.streamId,
      randomAccess: assembly.randomAccess,
      data: pes.payload,
    };
    if (pes.pts !== undefined) {
      event.pts = pes.pts;
      event.dts = pes.dts ?? pes.pts;
    }
    this.events.push(event);
  }
}
