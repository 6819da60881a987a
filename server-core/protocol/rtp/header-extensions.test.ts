import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildHeaderExtensions,
  extensionForm,
  ONE_BYTE_EXTENSION_PROFILE,
  parseHeaderExtensions,
  type RtpExtensionElement,
  TWO_BYTE_EXTENSION_PROFILE,
} from './header-extensions.js';
import { rtpErrorCode } from './test-support.js';

const el = (id: number, ...data: number[]): RtpExtensionElement => ({ id, data: Buffer.from(data) });
const plain = (els: RtpExtensionElement[]) => els.map((e) => ({ id: e.id, data: [...e.data] }));

describe('RTP header extensions (RFC 8285)', () => {
  it('parses one-byte elements with padding between them', () => {
    // id 1 len 1 (0xaa) | pad | id 3 len 3 | id 15 stops
    const data = Buffer.from([0x10, 0xaa, 0x00, 0x32, 1, 2, 3, 0xf0, 0x99, 0x00]);
    const padded = Buffer.concat([data, Buffer.alloc(2)]);
    expect(plain(parseHeaderExtensions({ profile: ONE_BYTE_EXTENSION_PROFILE, data: padded }))).toEqual([
      { id: 1, data: [0xaa] },
      { id: 3, data: [1, 2, 3] },
    ]);
  });

  it('parses two-byte elements, zero length allowed', () => {
    const data = Buffer.from([0x01, 0x00, 0x00, 0x20, 0x02, 7, 8, 0]);
    expect(plain(parseHeaderExtensions({ profile: TWO_BYTE_EXTENSION_PROFILE | 0x3, data }))).toEqual([
      { id: 1, data: [] },
      { id: 0x20, data: [7, 8] },
    ]);
  });

  it('chooses the form from the elements', () => {
    expect(buildHeaderExtensions([el(1, 1), el(14, ...new Array(16).fill(2))]).profile).toBe(
      ONE_BYTE_EXTENSION_PROFILE,
    );
    expect(buildHeaderExtensions([el(15, 1)]).profile).toBe(TWO_BYTE_EXTENSION_PROFILE);
    expect(buildHeaderExtensions([el(2, ...new Array(17).fill(0))]).profile).toBe(TWO_BYTE_EXTENSION_PROFILE);
    expect(buildHeaderExtensions([el(2)]).profile).toBe(TWO_BYTE_EXTENSION_PROFILE);
    expect(rtpErrorCode(() => buildHeaderExtensions([el(15, 1)], 'one-byte'))).toBe('RTP_BAD_ARGUMENT');
    expect(rtpErrorCode(() => buildHeaderExtensions([el(0, 1)], 'two-byte'))).toBe('RTP_BAD_ARGUMENT');
    expect(extensionForm(0x1234)).toBeUndefined();
    expect(rtpErrorCode(() => parseHeaderExtensions({ profile: 0x1234, data: Buffer.alloc(0) }))).toBe(
      'RTP_UNSUPPORTED',
    );
  });

  it('round-trips in both forms', () => {
    const oneByte = fc.array(
      fc.record({
        id: fc.integer({ min: 1, max: 14 }),
        data: fc.uint8Array({ minLength: 1, maxLength: 16 }).map((a) => Buffer.from(a)),
      }),
      { maxLength: 10 },
    );
    const twoByte = fc.array(
      fc.record({
        id: fc.integer({ min: 1, max: 255 }),
        data: fc.uint8Array({ maxLength: 255 }).map((a) => Buffer.from(a)),
      }),
      { maxLength: 10 },
    );
    fc.assert(
      fc.property(oneByte, (els) => {
        const ext = buildHeaderExtensions(els, 'one-byte');
        expect(ext.data.length % 4).toBe(0);
        expect(plain(parseHeaderExtensions(ext))).toEqual(plain(els));
      }),
    );
    fc.assert(
      fc.property(twoByte, (els) => {
        const ext = buildHeaderExtensions(els, 'two-byte');
        expect(ext.data.length % 4).toBe(0);
        expect(plain(parseHeaderExtensions(ext))).toEqual(plain(els));
      }),
    );
  });

  it('random data never throws anything but RtpError', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 64 }), (one, data) => {
        const profile = one ? ONE_BYTE_EXTENSION_PROFILE : TWO_BYTE_EXTENSION_PROFILE;
        rtpErrorCode(() => parseHeaderExtensions({ profile, data: Buffer.from(data) }));
      }),
    );
  });
});
