import { PID_PAT, STREAM_TYPE, TS_PACKET_SIZE, TS_SYNC_BYTE } from './constants.js';
import { parsePes } from './pes.js';
import { readPat, readPmt } from './psi.js';

export type TsCodec = 'h264' | 'hevc' | 'aac' | 'mp3' | 'opus' | 'unknown';

export type TsDemuxEvent =
  | { type: 'streams'; streams: { pid: number; streamType: number; codec: TsCodec }[] }
  | {
      type: 'pes';
      pid: number;
      codec: TsCodec;
      /** 90 kHz. */
      pts?: number;
      dts?: number;
      randomAccess: boolean;
      /** Annex-B for video, ADTS for AAC. */
      data: Buffer;
    };

/** Largest PES we reassemble before dropping it (a corrupt stream must not grow memory). */
const MAX_PES_BYTES = 16 * 1024 * 1024;

interface PendingPes {
  parts: Buffer[];
  size: number;
  randomAccess: boolean;
}

/**
 * MPEG-TS demuxer (ISO/IEC 13818-1): finds the PMT through the PAT, reassembles PES packets per PID across
 * transport packets (a PES ends when the next one starts, or at flush), and skips anything malformed: it is fed from
 * the network and never throws.
 */
export class TsDemuxer {
  private buffer: Buffer = Buffer.alloc(0);
  private pmtPid?: number;
  private readonly codecs = new Map<number, TsCodec>();
  private readonly pending = new Map<number, PendingPes>();
  private readonly lastCc = new Map<number, number>();
  continuityErrors = 0;
  skippedBytes = 0;

  push(bytes: Buffer): TsDemuxEvent[] {
    this.buffer = this.buffer.length === 0 ? bytes : Buffer.concat([this.buffer, bytes]);
    const events: TsDemuxEvent[] = [];
    let pos = 0;
    while (this.buffer.length - pos >= TS_PACKET_SIZE) {
      // In sync when this byte and the one a packet later are both sync bytes (a lone 0x47 proves nothing).
      const next = pos + TS_PACKET_SIZE;
      const synced =
        this.buffer[pos] === TS_SYNC_BYTE && (next >= this.buffer.length || this.buffer[next] === TS_SYNC_BYTE);
      if (!synced) {
        pos++;
        this.skippedBytes++;
        continue;
      }
      this.packet(this.buffer.subarray(pos, pos + TS_PACKET_SIZE), events);
      pos += TS_PACKET_SIZE;
    }
    this.buffer = this.buffer.subarray(pos);
    return events;
  }

  /** Ends every PES still being assembled (end of stream). */
  flush(): TsDemuxEvent[] {
    const events: TsDemuxEvent[] = [];
    for (const pid of [...this.pending.keys()]) this.finish(pid, events);
    return events;
  }

  private packet(p: Buffer, events: TsDemuxEvent[]): void {
    const pusi = (p[1] & 0x40) !== 0;
    const pid = ((p[1] & 0x1f) << 8) | p[2];
    const adaptation = (p[3] >> 4) & 0x03;
    const cc = p[3] & 0x0f;
    let offset = 4;
    let randomAccess = false;
    if (adaptation === 2 || adaptation === 3) {
      const length = p[4];
      if (length > 0) randomAccess = (p[5] & 0x40) !== 0;
      offset = 5 + length;
    }
    if (adaptation === 0 || adaptation === 2 || offset >= TS_PACKET_SIZE) return;
    const last = this.lastCc.get(pid);
    if (last !== undefined && cc !== ((last + 1) & 0x0f) && cc !== last) this.continuityErrors++;
    this.lastCc.set(pid, cc);
    const payload = p.subarray(offset);
    if (pid === PID_PAT || pid === this.pmtPid) {
      if (!pusi) return;
      const section = payload.subarray(1 + payload[0]);
      if (pid === PID_PAT) {
        this.pmtPid = readPat(section) ?? this.pmtPid;
      } else {
        const pmt = readPmt(section);
        if (!pmt) return;
        const streams = pmt.streams.map((s) => ({
          pid: s.pid,
          streamType: s.streamType,
          codec: codecOf(s.streamType, s.descriptors),
        }));
        const changed = streams.some((s) => this.codecs.get(s.pid) !== s.codec) || streams.length !== this.codecs.size;
        if (changed) {
          this.codecs.clear();
          for (const s of streams) this.codecs.set(s.pid, s.codec);
          events.push({ type: 'streams', streams });
        }
      }
      return;
    }
    if (!this.codecs.has(pid)) return;
    if (pusi) {
      this.finish(pid, events);
      this.pending.set(pid, { parts: [payload], size: payload.length, randomAccess });
      return;
    }
    const pes = this.pending.get(pid);
    if (!pes) return;
    pes.parts.push(payload);
    pes.size += payload.length;
    if (pes.size > MAX_PES_BYTES) this.pending.delete(pid);
  }

  private finish(pid: number, events: TsDemuxEvent[]): void {
    const pes = this.pending.get(pid);
    this.pending.delete(pid);
    if (!pes) return;
    const parsed = parsePes(Buffer.concat(pes.parts));
    if (!parsed) return;
    events.push({
      type: 'pes',
      pid,
      codec: this.codecs.get(pid) ?? 'unknown',
      pts: parsed.pts,
      dts: parsed.dts,
      randomAccess: pes.randomAccess,
      data: parsed.payload,
    });
  }
}

function codecOf(streamType: number, descriptors?: Buffer): TsCodec {
  switch (streamType) {
    case STREAM_TYPE.H264:
      return 'h264';
    case STREAM_TYPE.HEVC:
      return 'hevc';
    case STREAM_TYPE.AAC_ADTS:
      return 'aac';
    case STREAM_TYPE.MP3:
    case STREAM_TYPE.MP3_MPEG2:
      return 'mp3';
    case STREAM_TYPE.PRIVATE_PES:
      return descriptors?.includes(Buffer.from('Opus', 'latin1')) ? 'opus' : 'unknown';
    default:
      return 'unknown';
  }
}
