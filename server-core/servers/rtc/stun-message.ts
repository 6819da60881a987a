import { createHmac, timingSafeEqual } from 'node:crypto';
import { crc32 } from './crc32.js';
import { RtcError } from './rtc-error.js';

/**
 * STUN messages (RFC 5389 6 and 15, RFC 8489) as ICE uses them (RFC 8445 7.1, 7.3):
 *
 *    0                   1                   2                   3
 *   |0 0|     STUN message type     |         message length        |
 *   |                   magic cookie 0x2112A442                     |
 *   |               transaction id (96 bits)                        |
 *   | attribute type u16 | attribute length u16 | value, padded to 4 bytes | ...
 *
 * MESSAGE-INTEGRITY is HMAC-SHA1 over the message up to that attribute, with the header length counting
 * through it (15.4); FINGERPRINT is CRC-32 of the message up to it XOR 0x5354554E, the length counting it (15.5).
 */
export const STUN_HEADER_SIZE = 20;
export const STUN_MAGIC_COOKIE = 0x2112a442;
/** Larger STUN messages are not ICE connectivity checks: refused before parsing attributes. */
export const STUN_MAX_MESSAGE_SIZE = 1280;
export const STUN_MAX_ATTRIBUTES = 32;

export const STUN_BINDING_REQUEST = 0x0001;
export const STUN_BINDING_SUCCESS = 0x0101;
export const STUN_BINDING_ERROR = 0x0111;
export const STUN_BINDING_INDICATION = 0x0011;

export const ATTR_USERNAME = 0x0006;
export const ATTR_MESSAGE_INTEGRITY = 0x0008;
export const ATTR_ERROR_CODE = 0x0009;
export const ATTR_XOR_MAPPED_ADDRESS = 0x0020;
export const ATTR_PRIORITY = 0x0024;
export const ATTR_USE_CANDIDATE = 0x0025;
export const ATTR_FINGERPRINT = 0x8028;
export const ATTR_ICE_CONTROLLED = 0x8029;
export const ATTR_ICE_CONTROLLING = 0x802a;

const FINGERPRINT_XOR = 0x5354554e;
const INTEGRITY_SIZE = 20;

export interface StunAttribute {
  type: number;
  /** Subarray of the parsed message. */
  value: Buffer;
}

export interface StunMessage {
  type: number;
  transactionId: Buffer;
  attributes: StunAttribute[];
  /** Offset of the MESSAGE-INTEGRITY attribute header, if present. */
  integrityOffset?: number;
  /** Offset of the FINGERPRINT attribute header, if present. */
  fingerprintOffset?: number;
  /** The parsed bytes (for integrity checks). */
  raw: Buffer;
}

/** Is this a STUN message at all (first two bits 0, magic cookie, length multiple of 4)? */
export function looksLikeStun(buf: Buffer): boolean {
  return (
    buf.length >= STUN_HEADER_SIZE &&
    (buf[0] & 0xc0) === 0 &&
    buf.readUInt32BE(4) === STUN_MAGIC_COOKIE &&
    (buf.readUInt16BE(2) & 3) === 0
  );
}

/** Parses a STUN message; checks FINGERPRINT when present (integrity needs the key: verifyStunIntegrity). */
export function parseStunMessage(buf: Buffer): StunMessage {
  if (buf.length < STUN_HEADER_SIZE) throw new RtcError('STUN_TRUNCATED', `STUN message of ${buf.length} bytes`);
  if (buf.length > STUN_MAX_MESSAGE_SIZE) throw new RtcError('STUN_INVALID', `STUN message of ${buf.length} bytes`);
  if ((buf[0] & 0xc0) !== 0) throw new RtcError('STUN_INVALID', 'STUN type with the top bits set');
  if (buf.readUInt32BE(4) !== STUN_MAGIC_COOKIE) throw new RtcError('STUN_INVALID', 'no STUN magic cookie');
  const length = buf.readUInt16BE(2);
  if (length % 4 !== 0) throw new RtcError('STUN_INVALID', `STUN length ${length} not a multiple of 4`);
  if (STUN_HEADER_SIZE + length > buf.length)
    throw new RtcError('STUN_TRUNCATED', `STUN length ${length} in ${buf.length} bytes`);
  const end = STUN_HEADER_SIZE + length;
  const message: StunMessage = {
    type: buf.readUInt16BE(0),
    transactionId: buf.subarray(8, 20),
    attributes: [],
    raw: buf.subarray(0, end),
  };
  let at = STUN_HEADER_SIZE;
  while (at < end) {
    if (message.attributes.length >= STUN_MAX_ATTRIBUTES) throw new RtcError('STUN_INVALID', 'too many attributes');
    if (at + 4 > end) throw new RtcError('STUN_TRUNCATED', 'attribute header');
    const type = buf.readUInt16BE(at);
    const valueLength = buf.readUInt16BE(at + 2);
    if (at + 4 + valueLength > end) throw new RtcError('STUN_TRUNCATED', `attribute 0x${type.toString(16)}`);
    if (message.fingerprintOffset !== undefined) throw new RtcError('STUN_INVALID', 'attribute after FINGERPRINT');
    if (type === ATTR_MESSAGE_INTEGRITY) {
      if (valueLength !== INTEGRITY_SIZE) throw new RtcError('STUN_INVALID', 'MESSAGE-INTEGRITY size');
      message.integrityOffset = at;
    } else if (type === ATTR_FINGERPRINT) {
      if (valueLength !== 4) throw new RtcError('STUN_INVALID', 'FINGERPRINT size');
      message.fingerprintOffset = at;
    } else if (message.integrityOffset !== undefined) {
      // Only FINGERPRINT may follow MESSAGE-INTEGRITY (15.4); others are ignored.
      at += 4 + ((valueLength + 3) & ~3);
      continue;
    }
    message.attributes.push({ type, value: buf.subarray(at + 4, at + 4 + valueLength) });
    at += 4 + ((valueLength + 3) & ~3);
  }
  if (message.fingerprintOffset !== undefined) {
    const expected = (crc32(buf, 0, message.fingerprintOffset) ^ FINGERPRINT_XOR) >>> 0;
    if (buf.readUInt32BE(message.fingerprintOffset + 4) !== expected)
      throw new RtcError('STUN_FINGERPRINT', 'STUN FINGERPRINT mismatch');
  }
  return message;
}

export function stunAttribute(message: StunMessage, type: number): Buffer | undefined {
  for (const a of message.attributes) if (a.type === type) return a.value;
  return undefined;
}

/** Checks MESSAGE-INTEGRITY with a short-term credential key (the ICE password, RFC 8445 7.2.2). */
export function verifyStunIntegrity(message: StunMessage, key: Buffer | string): boolean {
  const at = message.integrityOffset;
  if (at === undefined) return false;
  const raw = message.raw;
  const header = Buffer.from(raw.subarray(0, STUN_HEADER_SIZE));
  header.writeUInt16BE(at + 4 + INTEGRITY_SIZE - STUN_HEADER_SIZE, 2);
  const mac = createHmac('sha1', key).update(header).update(raw.subarray(STUN_HEADER_SIZE, at)).digest();
  return timingSafeEqual(mac, raw.subarray(at + 4, at + 4 + INTEGRITY_SIZE));
}

export interface StunAddress {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

/** XOR-MAPPED-ADDRESS value (RFC 5389 15.2): | 0 | family | port ^ cookie>>16 | address ^ cookie (^ tid) |. */
export function xorMappedAddress(remote: StunAddress, transactionId: Buffer): Buffer {
  const v6 = remote.family === 'IPv6';
  const out = Buffer.alloc(v6 ? 20 : 8);
  out[1] = v6 ? 0x02 : 0x01;
  out.writeUInt16BE(remote.port ^ (STUN_MAGIC_COOKIE >>> 16), 2);
  const mask = Buffer.alloc(16);
  mask.writeUInt32BE(STUN_MAGIC_COOKIE, 0);
  transactionId.copy(mask, 4);
  const bytes = v6 ? ipv6Bytes(remote.address) : ipv4Bytes(remote.address);
  for (let i = 0; i < bytes.length; i++) out[4 + i] = bytes[i] ^ mask[i];
  return out;
}

/** Reads an XOR-MAPPED-ADDRESS value back (for tests and clients). */
export function readXorMappedAddress(value: Buffer, transactionId: Buffer): StunAddress {
  if (value.length < 8) throw new RtcError('STUN_TRUNCATED', 'XOR-MAPPED-ADDRESS');
  const v6 = value[1] === 0x02;
  if (v6 && value.length < 20) throw new RtcError('STUN_TRUNCATED', 'XOR-MAPPED-ADDRESS v6');
  const mask = Buffer.alloc(16);
  mask.writeUInt32BE(STUN_MAGIC_COOKIE, 0);
  transactionId.copy(mask, 4);
  const port = value.readUInt16BE(2) ^ (STUN_MAGIC_COOKIE >>> 16);
  const bytes = Buffer.alloc(v6 ? 16 : 4);
  for (let i = 0; i < bytes.length; i++) bytes[i] = value[4 + i] ^ mask[i];
  const address = v6
    ? Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16)).join(':')
    : Array.from(bytes).join('.');
  return { address, port, family: v6 ? 'IPv6' : 'IPv4' };
}

/**
 * Serializes a message with the given attributes, then MESSAGE-INTEGRITY (when key is given) and
 * FINGERPRINT (when fingerprint is true).
 */
export function serializeStunMessage(
  type: number,
  transactionId: Buffer,
  attributes: { type: number; value: Buffer }[],
  options: { integrityKey?: Buffer | string; fingerprint?: boolean } = {},
): Buffer {
  let size = STUN_HEADER_SIZE;
  for (const a of attributes) size += 4 + ((a.value.length + 3) & ~3);
  const integrityAt = size;
  if (options.integrityKey !== undefined) size += 4 + INTEGRITY_SIZE;
  const fingerprintAt = size;
  if (options.fingerprint) size += 8;
  const out = Buffer.alloc(size);
  out.writeUInt16BE(type, 0);
  out.writeUInt32BE(STUN_MAGIC_COOKIE, 4);
  transactionId.copy(out, 8, 0, 12);
  let at = STUN_HEADER_SIZE;
  for (const a of attributes) {
    out.writeUInt16BE(a.type, at);
    out.writeUInt16BE(a.value.length, at + 2);
    a.value.copy(out, at + 4);
    at += 4 + ((a.value.length + 3) & ~3);
  }
  if (options.integrityKey !== undefined) {
    out.writeUInt16BE(integrityAt + 4 + INTEGRITY_SIZE - STUN_HEADER_SIZE, 2);
    const mac = createHmac('sha1', options.integrityKey).update(out.subarray(0, integrityAt)).digest();
    out.writeUInt16BE(ATTR_MESSAGE_INTEGRITY, integrityAt);
    out.writeUInt16BE(INTEGRITY_SIZE, integrityAt + 2);
    mac.copy(out, integrityAt + 4);
  }
  if (options.fingerprint) {
    out.writeUInt16BE(size - STUN_HEADER_SIZE, 2);
    out.writeUInt16BE(ATTR_FINGERPRINT, fingerprintAt);
    out.writeUInt16BE(4, fingerprintAt + 2);
    out.writeUInt32BE((crc32(out, 0, fingerprintAt) ^ FINGERPRINT_XOR) >>> 0, fingerprintAt + 4);
  } else {
    out.writeUInt16BE(size - STUN_HEADER_SIZE, 2);
  }
  return out;
}

function ipv4Bytes(address: string): Buffer {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new RtcError('STUN_INVALID', `IPv4 address ${address}`);
  return Buffer.from(parts);
}

function ipv6Bytes(text: string): Buffer {
  let address = text.split('%')[0];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (v4) {
    const b = ipv4Bytes(v4[1]);
    address = `${address.slice(0, -v4[1].length)}${b.readUInt16BE(0).toString(16)}:${b.readUInt16BE(2).toString(16)}`;
  }
  const [head, tail] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) throw new RtcError('STUN_INVALID', `IPv6 address ${text}`);
  const out = Buffer.alloc(16);
  for (let i = 0; i < 8; i++) out.writeUInt16BE(Number.parseInt(groups[i], 16) & 0xffff, i * 2);
  return out;
}
