import { type Mp3FrameHeader, parseMp3FrameHeader } from '../mp3/frame-header.js';
import { type ConfigVerdict, checkSafely } from './config-verdict.js';

export interface Mp3ConfigInfo {
  codec: 'mp3';
  checked: true;
  header: Mp3FrameHeader;
}

const SUBJECT = 'MP3 frame';

/** MP3 has no configuration record: what describes the stream is a frame header (ISO/IEC 11172-3 2.4.1.3). */
export function checkMp3Frame(frame: Buffer): ConfigVerdict<Mp3ConfigInfo> {
  return checkSafely(SUBJECT, () => ({
    ok: true,
    info: { codec: 'mp3', checked: true, header: parseMp3FrameHeader(frame) },
  }));
}
