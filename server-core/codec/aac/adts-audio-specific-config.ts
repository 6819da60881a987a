import { BitstreamError } from '../bits/bitstream-error.js';
import type { AdtsHeader } from './adts.js';

/** samplingFrequencyIndex values an ADTS header may carry: 13 and 14 are reserved, 15 has no room for a rate. */
const MAX_ADTS_FREQUENCY_INDEX = 12;

/**
 * The 2-byte AudioSpecificConfig an ADTS header implies (ISO/IEC 14496-3 1.6.2.1 over 1.A.2.2.1), as ffmpeg's
 * ADTS demuxer writes it:
 *
 *   audioObjectType u5 = profile + 1 | samplingFrequencyIndex u4 | channelConfiguration u4 |
 *   frameLengthFlag 0 | dependsOnCoreCoder 0 | extensionFlag 0
 *
 * Index and channel configuration are copied as they are, so channelConfiguration 0 (layout in an in-band PCE)
 * survives; SBR/PS stay implicit, as ADTS signals them.
 */
export function audioSpecificConfigFromAdts(header: AdtsHeader): Buffer {
  const { objectType, samplingFrequencyIndex, channelConfiguration } = header.config;
  if (samplingFrequencyIndex > MAX_ADTS_FREQUENCY_INDEX) {
    throw new BitstreamError('BITSTREAM_INVALID', `ADTS samplingFrequencyIndex ${samplingFrequencyIndex}`);
  }
  const bits = (objectType << 11) | (samplingFrequencyIndex << 7) | (channelConfiguration << 3);
  const out = Buffer.alloc(2);
  out.writeUInt16BE(bits, 0);
  return out;
}
