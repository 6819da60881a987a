import { ignoreFaults } from './consumer-fault.js';
import type { MediaPacket } from './media-packet.js';
import type { ReaderSink } from './reader-sink.js';
import type { SourceOptions } from './stream-source.js';
import type { WireFormat } from './wire-format.js';

/** Test helpers for the hub's unit tests (an in-memory sink and a readable wire format). */
export const labelFormat: WireFormat = {
  id: 'label',
  encode: (shared) =>
    Buffer.from(
      `${shared.packet.kind[0]}${shared.packet.sequenceHeader ? 'h' : ''}${shared.packet.keyframe ? 'k' : ''}${shared.packet.dts};`,
    ),
};

export class MemorySink implements ReaderSink {
  writes: Buffer[] = [];
  pending = 0;
  ended = false;
  destroyed?: string;
  backlog(): number {
    return this.pending;
  }
  write(bytes: Buffer): void {
    this.writes.push(bytes);
  }
  end(): void {
    this.ended = true;
  }
  destroy(reason: string): void {
    this.destroyed = reason;
  }
  text(): string {
    return Buffer.concat(this.writes).toString();
  }
}

export function video(dts: number, keyframe = false): MediaPacket {
  return {
    track: 1,
    kind: 'video',
    codec: 'h264',
    dts,
    pts: dts,
    keyframe,
    sequenceHeader: false,
    payload: Buffer.alloc(1000),
  };
}

export function audio(dts: number): MediaPacket {
  return {
    track: 2,
    kind: 'audio',
    codec: 'aac',
    dts,
    pts: dts,
    keyframe: false,
    sequenceHeader: false,
    payload: Buffer.alloc(100),
  };
}

/** A real AVCDecoderConfigurationRecord (x264, Baseline 320x240) and AudioSpecificConfig (AAC-LC 44.1 kHz stereo). */
export const AVC_RECORD = Buffer.from(
  '0142c00affe10018' + '6742c00ad9020bf97011000003000100000300320f122648' + '01000568cb83cb20',
  'hex',
);
export const AAC_CONFIG = Buffer.from('1210', 'hex');

export function header(kind: 'video' | 'audio'): MediaPacket {
  return {
    track: kind === 'video' ? 1 : 2,
    kind,
    codec: kind === 'video' ? 'h264' : 'aac',
    dts: 0,
    pts: 0,
    keyframe: kind === 'video',
    sequenceHeader: true,
    payload: kind === 'video' ? AVC_RECORD : AAC_CONFIG,
  };
}

export function sourceOptions(clock: { now: number }, overrides: Partial<SourceOptions> = {}): SourceOptions {
  return {
    gopCache: { enabled: true, maxBytes: 10_000_000, maxPackets: 10_000 },
    readerLimits: { maxQueueBytes: 100_000, maxQueueMs: 100_000, stuckTimeoutMs: 5000 },
    jitter: 'off',
    mergeWindowMs: 0,
    publisherGraceMs: 0,
    now: () => clock.now,
    reportFault: ignoreFaults,
    ...overrides,
  };
}

export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
