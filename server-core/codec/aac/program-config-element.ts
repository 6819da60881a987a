import type { BitReader } from '../bits/bit-reader.js';

/**
 * program_config_element() (ISO/IEC 14496-3 4.4.1.1, Table 4.2), read for its channel count:
 *
 *   element_instance_tag u4 | object_type u2 | sampling_frequency_index u4
 *   num_front u4 | num_side u4 | num_back u4 | num_lfe u2 | num_assoc_data u3 | num_valid_cc u4
 *   mono_mixdown (u1 [u4]) | stereo_mixdown (u1 [u4]) | matrix_mixdown (u1 [u2 u1])
 *   front/side/back: { is_cpe u1 | tag u4 }* | lfe: { tag u4 }* | assoc: { tag u4 }* | cc: { u1 u4 }*
 *   byte_alignment | comment_field_bytes u8 | comment bytes
 */
export function readProgramConfigElementChannels(r: BitReader): number {
  r.skipBits(4 + 2 + 4);
  const front = r.readBits(4);
  const side = r.readBits(4);
  const back = r.readBits(4);
  const lfe = r.readBits(2);
  const assoc = r.readBits(3);
  const cc = r.readBits(4);
  if (r.readFlag()) r.skipBits(4);
  if (r.readFlag()) r.skipBits(4);
  if (r.readFlag()) r.skipBits(3);
  let channels = 0;
  for (let i = 0; i < front + side + back; i++) {
    channels += r.readFlag() ? 2 : 1; // channel pair or single channel element
    r.skipBits(4);
  }
  channels += lfe;
  r.skipBits(4 * lfe + 4 * assoc + 5 * cc);
  // byte_alignment() is relative to the start of the AudioSpecificConfig, which starts byte aligned.
  r.byteAlign();
  r.skipBits(8 * r.readBits(8));
  return channels;
}
