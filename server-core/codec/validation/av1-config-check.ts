import { type Av1CodecConfig, parseAv1CodecConfig } from '../av1/av1c.js';
import { bytes, type ConfigVerdict, checkSafely, rejected } from './config-verdict.js';

export interface Av1ConfigInfo {
  codec: 'av1';
  checked: true;
  config: Av1CodecConfig;
}

const SUBJECT = 'AV1 record';
/** marker/version, profile/level, tier..chroma, presentation delay. */
const AV1C_HEADER_SIZE = 4;

/**
 * An AV1CodecConfigurationRecord (AV1-ISOBMFF 2.3.3): the four fixed bytes with marker 1 and version 1; the
 * configOBUs, when present, split into whole OBUs, and a sequence header OBU among them parses and agrees with the
 * record's seq_profile (2.3.4: the fields "shall match" the sequence header).
 */
export function checkAv1Config(record: Buffer): ConfigVerdict<Av1ConfigInfo> {
  return checkSafely(SUBJECT, () => {
    if (record.length < AV1C_HEADER_SIZE) {
      return rejected(SUBJECT, `${bytes(record.length)}, the fixed part has ${AV1C_HEADER_SIZE}`);
    }
    const config = parseAv1CodecConfig(record);
    const header = config.sequenceHeader;
    if (header && header.seqProfile !== config.seqProfile) {
      return rejected(
        SUBJECT,
        `seq_profile ${config.seqProfile} in the record but ${header.seqProfile} in its sequence header`,
      );
    }
    return { ok: true, info: { codec: 'av1', checked: true, config } };
  });
}
