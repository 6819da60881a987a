import { type Logger, pino } from 'pino';
import { ASC_48K_STEREO, AVCC_720 } from '../../codec/fmp4/test-fixtures.js';
import type { MediaPacket } from '../../hub/media-packet.js';
import { StreamSource } from '../../hub/stream-source.js';
import { nextTurn, sourceOptions } from '../../hub/test-support.js';

/** Test support for the DVR's unit tests: a live stream on an injected clock and a logger that keeps its lines. */
export const STREAM_KEY = { vhost: '__defaultVhost__', app: 'live', stream: 'cam' };
export const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
export const VIDEO_FRAME_BYTES = 1000;
export const AUDIO_FRAME_BYTES = 100;

const publisher = { cid: 'pub1', protocol: 'test', ip: '127.0.0.1', query: '', disconnect: () => {} };

function packet(p: Partial<MediaPacket> & Pick<MediaPacket, 'kind' | 'codec'>): MediaPacket {
  const track = p.kind === 'video' ? 1 : p.kind === 'audio' ? 2 : 0;
  return { track, dts: 0, pts: 0, keyframe: false, sequenceHeader: false, payload: Buffer.alloc(0), ...p };
}

/** A stream with H.264 720p (25 fps, a keyframe every second) and AAC 48 kHz; the clock follows media time. */
export function testStream() {
  const clock = { now: T0 };
  const source = new StreamSource(STREAM_KEY, publisher, sourceOptions(clock));
  source.push(packet({ kind: 'video', codec: 'h264', sequenceHeader: true, keyframe: true, payload: AVCC_720 }));
  source.push(packet({ kind: 'audio', codec: 'aac', sequenceHeader: true, payload: ASC_48K_STEREO }));
  let videoDts = 0;
  let audioFrames = 0;
  /** Publishes media up to `untilMs` (interleaved by dts), letting queued file writes run after each packet. */
  const feed = async (untilMs: number) => {
    for (;;) {
      const audioDts = Math.round((audioFrames * 1024) / 48);
      const next = Math.min(videoDts, audioDts);
      if (next > untilMs) return;
      clock.now = T0 + next;
      if (videoDts <= audioDts) {
        const keyframe = videoDts % 1000 === 0;
        const payload = Buffer.alloc(VIDEO_FRAME_BYTES, keyframe ? 0x65 : 0x41);
        source.push(packet({ kind: 'video', codec: 'h264', dts: videoDts, pts: videoDts + 80, keyframe, payload }));
        videoDts += 40;
      } else {
        source.push(
          packet({
            kind: 'audio',
            codec: 'aac',
            dts: audioDts,
            pts: audioDts,
            payload: Buffer.alloc(AUDIO_FRAME_BYTES, 0x21),
          }),
        );
        audioFrames++;
      }
      await nextTurn();
    }
  };
  return { clock, source, feed };
}

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export function memoryLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}

/** Walks an FLV file tag by tag; the byte count that forms whole tags (header included). */
export function completeFlvBytes(file: Buffer): { tags: number; bytes: number } {
  let pos = 13;
  let tags = 0;
  while (pos + 11 <= file.length) {
    const size = file.readUIntBE(pos + 1, 3);
    const end = pos + 11 + size + 4;
    if (end > file.length || file.readUInt32BE(end - 4) !== 11 + size) break;
    pos = end;
    tags++;
  }
  return { tags, bytes: pos };
}
