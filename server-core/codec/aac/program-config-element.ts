import type { BitReader } from '../bits/bit-reader.js';
import { BitWriter } from '../bits/bit-writer.js';

/** id_syn_ele of a program_config_element in a raw_data_block (ISO/IEC 14496-3 4.5.2.1, Table 4.85). */
const ID_PCE = 5;

export interface ProgramConfigElement {
  /** Output channels: one per single channel element, two per channel pair, plus the LFE channels. */
  channels: number;
  /**
   * The element as a raw_data_block carries it: ID_PCE (3 bits), the PCE, its byte_alignment() counted from the
   * element's start, and the comment. ADTS with channel_configuration 0 needs it ahead of the audio elements.
   */
  rawDataBlockElement: Buffer;
}

/**
 * program_config_element() (ISO/IEC 14496-3 4.4.1.1, Table 4.2), read for its channel count and copied into the
 * raw_data_block form:
 *
 *   element_instance_tag u4 | object_type u2 | sampling_frequency_index u4
 *   num_front u4 | num_side u4 | num_back u4 | num_lfe u2 | num_assoc_data u3 | num_valid_cc u4
 *   mono_mixdown (u1 [u4]) | stereo_mixdown (u1 [u4]) | matrix_mixdown (u1 [u2 u1])
 *   front/side/back: { is_cpe u1 | tag u4 }* | lfe: { tag u4 }* | assoc: { tag u4 }* | cc: { u1 u4 }*
 *   byte_alignment | comment_field_bytes u8 | comment bytes
 */
export function readProgramConfigElement(r: BitReader): ProgramConfigElement {
  const w = new BitWriter();
  w.writeBits(3, ID_PCE);
  const copy = (n: number): number => {
    const value = r.readBits(n);
    w.writeBits(n, value);
    return value;
  };
  copy(4 + 2 + 4);
  const front = copy(4);
  const side = copy(4);
  const back = copy(4);
  const lfe = copy(2);
  const assoc = copy(3);
  const cc = copy(4);
  if (copy(1)) copy(4); // mono_mixdown_element_number
  if (copy(1)) copy(4); // stereo_mixdown_element_number
  if (copy(1)) copy(3); // matrix_mixdown_idx, pseudo_surround_enable
  let channels = 0;
  for (let i = 0; i < front + side + back; i++) {
    channels += copy(1) ? 2 : 1; // channel pair or single channel element
    copy(4);
  }
  channels += lfe;
  for (let i = 0; i < lfe + assoc; i++) copy(4);
  for (let i = 0; i < cc; i++) copy(5);
  // byte_alignment(): in an AudioSpecificConfig relative to its (aligned) start; in the copy to the element's.
  r.byteAlign();
  w.byteAlign();
  const comment = copy(8);
  for (let i = 0; i < comment; i++) copy(8);
  return { channels, rawDataBlockElement: w.toBuffer() };
}
