import { RtpError } from './rtp-error.js';
import { RTP_MAX_EXTENSION_DATA, type RtpHeaderExtension } from './rtp-packet.js';

/** One RFC 8285 extension element: its local id (from a=extmap) and its data. */
export interface RtpExtensionElement {
  id: number;
  data: Buffer;
}

/** RFC 8285 4.2: the profile value of the one-byte form. */
export const ONE_BYTE_EXTENSION_PROFILE = 0xbede;
/** RFC 8285 4.3: 0x100 in the top 12 bits, 4 application bits below. */
export const TWO_BYTE_EXTENSION_PROFILE = 0x1000;
const TWO_BYTE_PROFILE_MASK = 0xfff0;
const ONE_BYTE_MAX_ID = 14;
const ONE_BYTE_STOP_ID = 15;
const ONE_BYTE_MAX_LENGTH = 16;
const TWO_BYTE_MAX_ID = 255;
const TWO_BYTE_MAX_LENGTH = 255;

export type ExtensionForm = 'one-byte' | 'two-byte';

export function extensionForm(profile: number): ExtensionForm | undefined {
  if (profile === ONE_BYTE_EXTENSION_PROFILE) return 'one-byte';
  if ((profile & TWO_BYTE_PROFILE_MASK) === TWO_BYTE_EXTENSION_PROFILE) return 'two-byte';
  return undefined;
}

/**
 * Elements of an RFC 8285 header extension block (data subarrays, no copy).
 *   one-byte (4.2):  | ID u4 | L u4 (length - 1) | data (L + 1) |   ID 0 = one padding byte; ID 15 ends parsing
 *   two-byte (4.3):  | ID u8 | L u8 | data (L) |                   ID 0 = one padding byte
 * A block in neither form is RTP_UNSUPPORTED.
 */
export function parseHeaderExtensions(extension: RtpHeaderExtension): RtpExtensionElement[] {
  const form = extensionForm(extension.profile);
  if (!form) throw new RtpError('RTP_UNSUPPORTED', `header extension profile 0x${extension.profile.toString(16)}`);
  const { data } = extension;
  const elements: RtpExtensionElement[] = [];
  let at = 0;
  while (at < data.length) {
    const b = data[at];
    if (b === 0) {
      at++;
      continue;
    }
    let id: number;
    let length: number;
    if (form === 'one-byte') {
      id = b >> 4;
      if (id === ONE_BYTE_STOP_ID) break;
      length = (b & 0x0f) + 1;
      at += 1;
    } else {
      if (at + 2 > data.length) throw new RtpError('RTP_TRUNCATED', 'two-byte extension element header');
      id = b;
      length = data[at + 1];
      at += 2;
    }
    if (at + length > data.length) throw new RtpError('RTP_TRUNCATED', `extension element ${id} of ${length} bytes`);
    elements.push({ id, data: data.subarray(at, at + length) });
    at += length;
  }
  return elements;
}

/**
 * Builds a header extension block, padded with zeros to 32 bits. Without a form, one-byte is used when every
 * element fits it (id 1..14, 1..16 bytes), two-byte otherwise.
 */
export function buildHeaderExtensions(elements: RtpExtensionElement[], form?: ExtensionForm): RtpHeaderExtension {
  const fitsOneByte = elements.every(
    (e) => e.id >= 1 && e.id <= ONE_BYTE_MAX_ID && e.data.length >= 1 && e.data.length <= ONE_BYTE_MAX_LENGTH,
  );
  const chosen = form ?? (fitsOneByte ? 'one-byte' : 'two-byte');
  if (chosen === 'one-byte' && !fitsOneByte) {
    throw new RtpError('RTP_BAD_ARGUMENT', 'one-byte extensions need ids 1..14 and 1..16 bytes of data');
  }
  const headerSize = chosen === 'one-byte' ? 1 : 2;
  let size = 0;
  for (const e of elements) {
    if (chosen === 'two-byte' && (!isInt(e.id, 1, TWO_BYTE_MAX_ID) || e.data.length > TWO_BYTE_MAX_LENGTH)) {
      throw new RtpError('RTP_BAD_ARGUMENT', `two-byte extension element id ${e.id}, ${e.data.length} bytes`);
    }
    size += headerSize + e.data.length;
  }
  const padded = Math.ceil(size / 4) * 4;
  if (padded > RTP_MAX_EXTENSION_DATA) throw new RtpError('RTP_TOO_LARGE', `header extension of ${padded} bytes`);
  const data = Buffer.alloc(padded);
  let at = 0;
  for (const e of elements) {
    if (chosen === 'one-byte') {
      data[at++] = (e.id << 4) | (e.data.length - 1);
    } else {
      data[at++] = e.id;
      data[at++] = e.data.length;
    }
    e.data.copy(data, at);
    at += e.data.length;
  }
  return { profile: chosen === 'one-byte' ? ONE_BYTE_EXTENSION_PROFILE : TWO_BYTE_EXTENSION_PROFILE, data };
}

function isInt(v: number, min: number, max: number): boolean {
  return Number.isInteger(v) && v >= min && v <= max;
}
