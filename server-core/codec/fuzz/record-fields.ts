import type { Field } from './mutations.test-support.js';

/**
 * Where the length, count and reserved-value fields of each configuration record sit in one valid instance, so
 * mutations can rewrite them (layouts: the parsers' comments and the specs they name).
 */

/** AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1.2). */
export function avcRecordFields(record: Buffer): Field[] {
  const fields: Field[] = [
    { name: 'configurationVersion', offset: 0, size: 1 },
    { name: 'AVCProfileIndication', offset: 1, size: 1 },
    { name: 'lengthSizeMinusOne', offset: 4, size: 1, mask: 0x03 },
    { name: 'numOfSequenceParameterSets', offset: 5, size: 1, mask: 0x1f },
  ];
  let at = 6;
  const sets = (count: number, name: string) => {
    for (let i = 0; i < count && at + 2 <= record.length; i++) {
      const length = record.readUInt16BE(at);
      fields.push({ name: `${name} ${i + 1} length`, offset: at, size: 2 });
      if (length > 0 && at + 2 < record.length) {
        fields.push({ name: `${name} ${i + 1} NAL header`, offset: at + 2, size: 1 });
        // The first body bytes: profile_idc, constraints, level_idc, then Exp-Golomb fields.
        for (let k = 1; k < Math.min(length, 8) && at + 2 + k < record.length; k++) {
          fields.push({ name: `${name} ${i + 1} byte ${k}`, offset: at + 2 + k, size: 1 });
        }
      }
      at += 2 + length;
    }
  };
  sets(record[5] & 0x1f, 'SPS');
  if (at < record.length) {
    fields.push({ name: 'numOfPictureParameterSets', offset: at, size: 1 });
    const count = record[at++];
    sets(count, 'PPS');
  }
  return fields;
}

/** HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1.2). */
export function hevcRecordFields(record: Buffer): Field[] {
  const fields: Field[] = [
    { name: 'configurationVersion', offset: 0, size: 1 },
    { name: 'general_profile_idc', offset: 1, size: 1, mask: 0x1f },
    { name: 'chromaFormat', offset: 16, size: 1, mask: 0x03 },
    { name: 'numTemporalLayers', offset: 21, size: 1, mask: 0x38 },
    { name: 'lengthSizeMinusOne', offset: 21, size: 1, mask: 0x03 },
    { name: 'numOfArrays', offset: 22, size: 1 },
  ];
  let at = 23;
  for (let i = 0; i < record[22] && at + 3 <= record.length; i++) {
    fields.push({ name: `array ${i + 1} NAL_unit_type`, offset: at, size: 1, mask: 0x3f });
    fields.push({ name: `array ${i + 1} numNalus`, offset: at + 1, size: 2 });
    const count = record.readUInt16BE(at + 1);
    at += 3;
    for (let j = 0; j < count && at + 2 <= record.length; j++) {
      const length = record.readUInt16BE(at);
      fields.push({ name: `array ${i + 1} NAL ${j + 1} length`, offset: at, size: 2 });
      for (let k = 0; k < Math.min(length, 8) && at + 2 + k < record.length; k++) {
        fields.push({ name: `array ${i + 1} NAL ${j + 1} byte ${k}`, offset: at + 2 + k, size: 1 });
      }
      at += 2 + length;
    }
  }
  return fields;
}

/**
 * AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1) with a 5-bit object type and a table rate: object type,
 * samplingFrequencyIndex and channelConfiguration in the first 13 bits, the GASpecificConfig flags after them.
 */
export function ascFields(): Field[] {
  return [
    { name: 'audioObjectType', offset: 0, size: 1, mask: 0xf8 },
    { name: 'samplingFrequencyIndex', offset: 0, size: 2, mask: 0x0780 },
    { name: 'channelConfiguration', offset: 1, size: 1, mask: 0x78 },
    { name: 'GASpecificConfig flags', offset: 1, size: 1, mask: 0x07 },
  ];
}

/** OpusHead (RFC 7845 5.1), any mapping family. */
export function opusHeadFields(head: Buffer): Field[] {
  const fields: Field[] = [
    { name: 'magic', offset: 0, size: 4 },
    { name: 'version', offset: 8, size: 1 },
    { name: 'channel count', offset: 9, size: 1 },
    { name: 'mapping family', offset: 18, size: 1 },
  ];
  if (head.length > 20) {
    fields.push({ name: 'stream count', offset: 19, size: 1 }, { name: 'coupled count', offset: 20, size: 1 });
    for (let i = 21; i < head.length; i++) fields.push({ name: `mapping ${i - 20}`, offset: i, size: 1 });
  }
  return fields;
}

/** AV1CodecConfigurationRecord (AV1-ISOBMFF 2.3.3) holding one sequence header OBU with a one-byte size. */
export function av1RecordFields(record: Buffer): Field[] {
  const fields: Field[] = [
    { name: 'marker/version', offset: 0, size: 1 },
    { name: 'seq_profile', offset: 1, size: 1, mask: 0xe0 },
    { name: 'seq_level_idx_0', offset: 1, size: 1, mask: 0x1f },
  ];
  if (record.length > 5) {
    fields.push({ name: 'OBU header', offset: 4, size: 1 }, { name: 'obu_size', offset: 5, size: 1 });
    for (let i = 6; i < record.length; i++) fields.push({ name: `sequence header byte ${i - 6}`, offset: i, size: 1 });
  }
  return fields;
}

/** The length prefixes and NAL headers of a length-prefixed access unit (ISO/IEC 14496-15 sample format). */
export function accessUnitFields(au: Buffer, lengthSize: 1 | 2 | 3 | 4): Field[] {
  const fields: Field[] = [];
  let at = 0;
  for (let i = 0; at + lengthSize <= au.length; i++) {
    const length = au.readUIntBE(at, lengthSize);
    fields.push({ name: `NAL ${i + 1} length`, offset: at, size: lengthSize });
    if (length > 0 && at + lengthSize < au.length) {
      fields.push({ name: `NAL ${i + 1} header`, offset: at + lengthSize, size: 1 });
    }
    at += lengthSize + length;
  }
  return fields;
}
