import { BitWriter } from '../bits/bit-writer.js';

/** AudioSpecificConfigs for tests that the builder cannot make. */

/**
 * AudioSpecificConfig with channel configuration 0 and a 5.1 PCE (front: C as an SCE, L/R as a CPE; back: a CPE;
 * one LFE) and a 2-byte comment. HE-AAC signals SBR explicitly first, which moves the PCE off byte alignment.
 */
export function ascWith51Pce(objectType: 2 | 5): Buffer {
  const w = new BitWriter();
  w.writeBits(5, objectType);
  w.writeBits(4, 3); // 48 kHz
  w.writeBits(4, 0); // channelConfiguration 0: see the PCE
  if (objectType === 5) {
    w.writeBits(4, 3); // extensionSamplingFrequencyIndex (any table rate will do)
    w.writeBits(5, 2); // AAC LC core
  }
  w.writeBits(3, 0); // frameLengthFlag, dependsOnCoreCoder, extensionFlag
  w.writeBits(4, 0); // element_instance_tag
  w.writeBits(2, 1); // object_type (LC)
  w.writeBits(4, 3); // sampling_frequency_index
  w.writeBits(4, 2); // num_front_channel_elements
  w.writeBits(4, 0); // num_side
  w.writeBits(4, 1); // num_back
  w.writeBits(2, 1); // num_lfe
  w.writeBits(3, 0); // num_assoc_data
  w.writeBits(4, 0); // num_valid_cc
  w.writeBits(3, 0); // no mono / stereo / matrix mixdown
  for (const [cpe, tag] of [
    [0, 0],
    [1, 0],
    [1, 1],
  ]) {
    w.writeBits(1, cpe);
    w.writeBits(4, tag);
  }
  w.writeBits(4, 0); // LFE tag
  w.byteAlign();
  w.writeBits(8, 2);
  w.writeBits(16, 0x4869); // "Hi"
  return w.toBuffer();
}
