import { type AudioSpecificConfig, parseAudioSpecificConfig } from '../aac/audio-specific-config.js';
import { aacProfileName } from '../aac/object-type.js';
import { EXPLICIT_FREQUENCY_INDEX, SAMPLING_FREQUENCIES, samplingFrequencyIndex } from '../aac/sampling-frequency.js';
import { bytes, type ConfigVerdict, checkSafely, rejected } from './config-verdict.js';

export interface AacConfigInfo {
  codec: 'aac';
  checked: true;
  asc: AudioSpecificConfig;
  /** sampling_frequency_index an ADTS header will carry (the explicit rate mapped onto the table). */
  adtsFrequencyIndex: number;
}

const SUBJECT = 'AAC config';
/** audioObjectType u5 | samplingFrequencyIndex u4 | channelConfiguration u4: 13 bits, 2 bytes. */
const MIN_CONFIG_SIZE = 2;
/** ADTS profile is 2 bits holding object type - 1 (ISO/IEC 14496-3 1.A.2.2.1). */
const ADTS_OBJECT_TYPES = new Set([1, 2, 3, 4]);
/** ADTS channel_configuration is 3 bits. */
const MAX_ADTS_CHANNEL_CONFIGURATION = 7;

/**
 * An AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1) as every muxer later uses it. Beyond parsing (no reserved
 * sampling-frequency index, no reserved channel configuration, a whole program_config_element for channel
 * configuration 0), it must fit ADTS, which HLS and HTTP-TS carry it in: ADTS can only carry object types
 * 1..4 (Main, LC, SSR, LTP; HE-AAC rides on its LC core), a rate from the sampling-frequency table, and channel
 * configurations 0..7.
 */
export function checkAacConfig(record: Buffer): ConfigVerdict<AacConfigInfo> {
  return checkSafely(SUBJECT, () => {
    if (record.length < MIN_CONFIG_SIZE) {
      return rejected(SUBJECT, `${bytes(record.length)}, the shortest AudioSpecificConfig has ${MIN_CONFIG_SIZE}`);
    }
    const asc = parseAudioSpecificConfig(record);
    if (!ADTS_OBJECT_TYPES.has(asc.coreObjectType)) {
      const name = aacProfileName(asc.coreObjectType);
      const what =
        name === 'Other' ? `object type ${asc.coreObjectType}` : `object type ${asc.coreObjectType} (${name})`;
      return rejected(SUBJECT, `${what}: ADTS can only carry object types 1..4 (Main, LC, SSR, LTP)`);
    }
    const adtsFrequencyIndex =
      asc.samplingFrequencyIndex === EXPLICIT_FREQUENCY_INDEX
        ? samplingFrequencyIndex(asc.sampleRate)
        : asc.samplingFrequencyIndex;
    if (adtsFrequencyIndex >= SAMPLING_FREQUENCIES.length) {
      return rejected(SUBJECT, `explicit sample rate ${asc.sampleRate} Hz is not one ADTS can signal`);
    }
    if (asc.channelConfiguration > MAX_ADTS_CHANNEL_CONFIGURATION) {
      return rejected(
        SUBJECT,
        `channel configuration ${asc.channelConfiguration}: ADTS can only carry 0..${MAX_ADTS_CHANNEL_CONFIGURATION}`,
      );
    }
    if (asc.channels === 0) return rejected(SUBJECT, 'channel configuration 0 with a PCE that declares no channels');
    return { ok: true, info: { codec: 'aac', checked: true, asc, adtsFrequencyIndex } };
  });
}
