import { TsError } from './ts-error.js';

/**
 * Descriptor loop of a PMT (ISO/IEC 13818-1 2.6): { descriptor_tag u8 | descriptor_length u8 | data }*
 */
export interface Descriptor {
  tag: number;
  /** Subarray of the loop. */
  data: Buffer;
}

/** Table 2-45 registration_descriptor: format_identifier u32 (a registered four-character code). */
export const DESCRIPTOR_TAG_REGISTRATION = 0x05;
/** ETSI EN 300 468 extension_descriptor: descriptor_tag_extension u8 | selector bytes. */
export const DESCRIPTOR_TAG_DVB_EXTENSION = 0x7f;

const MAX_DESCRIPTOR_DATA = 0xff;

export function writeDescriptors(descriptors: readonly Descriptor[]): Buffer {
  const parts: Buffer[] = [];
  for (const { tag, data } of descriptors) {
    if (data.length > MAX_DESCRIPTOR_DATA) throw new TsError('TS_TOO_LARGE', `descriptor of ${data.length} bytes`);
    parts.push(Buffer.from([tag, data.length]), data);
  }
  return Buffer.concat(parts);
}

export function parseDescriptors(buf: Buffer): Descriptor[] {
  const descriptors: Descriptor[] = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < 2) throw new TsError('TS_TRUNCATED', 'descriptor header cut short');
    const length = buf[at + 1];
    if (at + 2 + length > buf.length) throw new TsError('TS_TRUNCATED', `descriptor of ${length} bytes overruns`);
    descriptors.push({ tag: buf[at], data: buf.subarray(at + 2, at + 2 + length) });
    at += 2 + length;
  }
  return descriptors;
}

/** format_identifier of the first registration descriptor, as four latin1 characters. */
export function registrationFormat(descriptors: readonly Descriptor[]): string | undefined {
  const registration = descriptors.find((d) => d.tag === DESCRIPTOR_TAG_REGISTRATION && d.data.length >= 4);
  return registration?.data.toString('latin1', 0, 4);
}
