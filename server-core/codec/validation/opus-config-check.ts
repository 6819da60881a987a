import { type OpusHead, parseOpusHead } from '../opus/opus-head.js';
import { type ConfigVerdict, checkSafely, rejected } from './config-verdict.js';

export interface OpusConfigInfo {
  codec: 'opus';
  checked: true;
  head: OpusHead;
}

const SUBJECT = 'OpusHead';
/** Channel mapping family 1 (Vorbis order) defines layouts for 1..8 channels (RFC 7845 5.1.1.2). */
const VORBIS_FAMILY = 1;
const MAX_VORBIS_CHANNELS = 8;

/**
 * An OpusHead ID header (RFC 7845 5.1): the parser checks magic, version, channel count and the mapping table
 * (streams, coupled streams, entries); family 1 must also stay within its 8 defined layouts.
 */
export function checkOpusConfig(record: Buffer): ConfigVerdict<OpusConfigInfo> {
  return checkSafely(SUBJECT, () => {
    const head = parseOpusHead(record);
    if (head.mappingFamily === VORBIS_FAMILY && head.channels > MAX_VORBIS_CHANNELS) {
      return rejected(SUBJECT, `mapping family 1 allows 1..8 channels, not ${head.channels}`);
    }
    return { ok: true, info: { codec: 'opus', checked: true, head } };
  });
}
