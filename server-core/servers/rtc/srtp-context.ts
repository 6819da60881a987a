import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { AesCmKeystream, type AesCmSegment } from './aes-cm-keystream.js';
import { HMAC_PREFIX, HmacSha1Prefixed } from './hmac-sha1-prefixed.js';
import { RtcError } from './rtc-error.js';

/**
 * SRTP and SRTCP (RFC 3711) for the two DTLS-SRTP profiles browsers offer (RFC 5764 4.1.2, RFC 7714 14.2):
 *
 *   SRTP_AES128_CM_HMAC_SHA1_80 (1): AES-128 counter mode, HMAC-SHA1 tag of 10 bytes, 14-byte salt.
 *     SRTP   | header | AES-CM(payload) | tag(10) = HMAC(header..payload || ROC)[0..10] |
 *     SRTCP  | header(8) | AES-CM(rest) | E=1 + index u31 | tag(10) = HMAC(all before it) |
 *   AEAD_AES_128_GCM (7): AES-128-GCM, tag of 16 bytes, 12-byte salt (RFC 7714 8, 9).
 *     SRTP   | header (AAD) | GCM(payload) | tag(16) |
 *     SRTCP  | header(8) (AAD) | GCM(rest) | tag(16) | E=1 + index u31 (AAD) |
 *
 * Session keys come from the master key and salt by the AES-CM PRF with labels 0..5 (RFC 3711 4.3.1,
 * key derivation rate 0). One context protects one direction; the ROC of each SSRC is tracked (3.3.1).
 */
export const SRTP_AES128_CM_HMAC_SHA1_80 = 1;
export const SRTP_AEAD_AES_128_GCM = 7;
export type SrtpProfileId = typeof SRTP_AES128_CM_HMAC_SHA1_80 | typeof SRTP_AEAD_AES_128_GCM;

/** Master key and salt sizes per profile (what the DTLS exporter yields, RFC 5764 4.2). */
export function srtpKeySizes(profile: SrtpProfileId): { keyLength: number; saltLength: number } {
  return profile === SRTP_AEAD_AES_128_GCM ? { keyLength: 16, saltLength: 12 } : { keyLength: 16, saltLength: 14 };
}

const CM_TAG = 10;
const GCM_TAG = 16;
const SRTCP_INDEX = 4;
const LABEL_RTP_KEY = 0;
const LABEL_RTP_AUTH = 1;
const LABEL_RTP_SALT = 2;
const LABEL_RTCP_KEY = 3;
const LABEL_RTCP_AUTH = 4;
const LABEL_RTCP_SALT = 5;
const MAX_SSRCS = 64;

/** Packets behind the highest one still accepted once (RFC 3711 3.3.2; libsrtp uses 128, NACK repairs need more). */
export const SRTP_REPLAY_WINDOW = 1024;

interface SsrcState {
  roc: number;
  /** Highest sequence number seen (s_l). */
  last: number;
  /** Receive side: the packet index (ROC * 2^16 + SEQ) last accepted in each slot of the window. */
  seen?: Float64Array;
  highest?: number;
}

export class SrtpContext {
  readonly profile: SrtpProfileId;
  private readonly gcm: boolean;
  private readonly rtpKey: Buffer;
  private readonly rtpSalt: Buffer;
  private readonly rtpAuth: Buffer;
  private readonly rtcpKey: Buffer;
  private readonly rtcpSalt: Buffer;
  private readonly rtcpAuth: Buffer;
  private readonly rtpCm?: AesCmKeystream;
  private readonly rtcpCm?: AesCmKeystream;
  private readonly rtpTagger?: HmacSha1Prefixed;
  private readonly ssrcs = new Map<number, SsrcState>();
  private rtcpIndex = 0;
  private readonly iv = Buffer.alloc(16);
  private readonly roc = Buffer.alloc(4);

  constructor(profile: SrtpProfileId, masterKey: Buffer, masterSalt: Buffer) {
    const sizes = srtpKeySizes(profile);
    if (profile !== SRTP_AES128_CM_HMAC_SHA1_80 && profile !== SRTP_AEAD_AES_128_GCM)
      throw new RtcError('SRTP_UNSUPPORTED', `SRTP profile ${profile}`);
    if (masterKey.length !== sizes.keyLength || masterSalt.length !== sizes.saltLength)
      throw new RtcError('SRTP_UNSUPPORTED', 'SRTP master key or salt of the wrong size');
    this.profile = profile;
    this.gcm = profile === SRTP_AEAD_AES_128_GCM;
    const saltLength = sizes.saltLength;
    this.rtpKey = deriveKey(masterKey, masterSalt, LABEL_RTP_KEY, 16);
    this.rtpSalt = deriveKey(masterKey, masterSalt, LABEL_RTP_SALT, saltLength);
    this.rtpAuth = this.gcm ? Buffer.alloc(0) : deriveKey(masterKey, masterSalt, LABEL_RTP_AUTH, 20);
    this.rtcpKey = deriveKey(masterKey, masterSalt, LABEL_RTCP_KEY, 16);
    this.rtcpSalt = deriveKey(masterKey, masterSalt, LABEL_RTCP_SALT, saltLength);
    this.rtcpAuth = this.gcm ? Buffer.alloc(0) : deriveKey(masterKey, masterSalt, LABEL_RTCP_AUTH, 20);
    if (!this.gcm) {
      this.rtpCm = new AesCmKeystream(this.rtpKey);
      this.rtcpCm = new AesCmKeystream(this.rtcpKey);
      this.rtpTagger = new HmacSha1Prefixed(this.rtpAuth);
    }
  }

  /** Bytes protect adds to an RTP packet. */
  get rtpOverhead(): number {
    return this.gcm ? GCM_TAG : CM_TAG;
  }

  /** Encrypts header + payload into one new buffer (the only copy). The header is sent as it is. */
  protectRtp(header: Buffer, payload: Buffer): Buffer {
    if (header.length < 12) throw new RtcError('SRTP_TRUNCATED', 'RTP header under 12 bytes');
    const seq = header.readUInt16BE(2);
    const ssrc = header.readUInt32BE(8);
    const roc = this.sendRoc(ssrc, seq);
    const h = header.length;
    if (this.gcm) {
      const out = Buffer.allocUnsafe(h + payload.length + GCM_TAG);
      header.copy(out, 0);
      const cipher = createCipheriv('aes-128-gcm', this.rtpKey, this.gcmRtpIv(ssrc, roc, seq));
      cipher.setAAD(header);
      const body = cipher.update(payload);
      body.copy(out, h);
      cipher.final();
      cipher.getAuthTag().copy(out, h + payload.length);
      return out;
    }
    return this.protectRtpMany([header], [payload], 1)[0];
  }

  /**
   * protectRtp for count packets at once: with AES-CM, one cipher call makes the keystream of them all. The
   * HMAC's inner pad goes in front of each packet (one native hash call each); the ROC it covers sits where
   * the tag then goes.
   */
  protectRtpMany(headers: readonly Buffer[], payloads: readonly Buffer[], count = headers.length): Buffer[] {
    if (this.gcm) return headers.slice(0, count).map((h, i) => this.protectRtp(h, payloads[i]));
    const segments = SEGMENTS;
    while (segments.length < count)
      segments.push({ iv: Buffer.alloc(16), data: Buffer.alloc(0), start: 0, end: 0, room: Buffer.alloc(0), roc: 0 });
    for (let i = 0; i < count; i++) {
      const header = headers[i];
      const payload = payloads[i];
      if (header.length < 12) throw new RtcError('SRTP_TRUNCATED', 'RTP header under 12 bytes');
      const seq = header.readUInt16BE(2);
      const ssrc = header.readUInt32BE(8);
      const roc = this.sendRoc(ssrc, seq);
      const h = header.length;
      const p = payload.length;
      const room = Buffer.allocUnsafe(HMAC_PREFIX + h + p + CM_TAG);
      const out = room.subarray(HMAC_PREFIX);
      header.copy(out, 0);
      payload.copy(out, h);
      const segment = segments[i];
      this.cmRtpIv(ssrc, roc, seq).copy(segment.iv);
      segment.data = out;
      segment.start = h;
      segment.end = h + p;
      segment.room = room;
      segment.roc = roc;
    }
    this.rtpCm?.xorMany(segments, count);
    const packets: Buffer[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const { data: out, end, room, roc } = segments[i];
      out.writeUInt32BE(roc, end);
      this.rtpTagger?.tagInto(room, HMAC_PREFIX + end + 4, out, end, CM_TAG);
      packets[i] = out;
      releaseSegment(segments[i]);
    }
    return packets;
  }

  /** Authenticates and decrypts an SRTP packet; returns the plain RTP packet (a new buffer). */
  unprotectRtp(packet: Buffer): Buffer {
    const h = rtpHeaderLength(packet);
    const tag = this.gcm ? GCM_TAG : CM_TAG;
    if (packet.length < h + tag) throw new RtcError('SRTP_TRUNCATED', `SRTP packet of ${packet.length} bytes`);
    const seq = packet.readUInt16BE(2);
    const ssrc = packet.readUInt32BE(8);
    const state = this.ssrcs.get(ssrc);
    const roc = state ? estimateRoc(state, seq) : 0;
    const end = packet.length - tag;
    const index = roc * 0x10000 + seq;
    if (state?.seen && state.highest !== undefined) {
      if (index <= state.highest - SRTP_REPLAY_WINDOW || state.seen[index % SRTP_REPLAY_WINDOW] === index)
        throw new RtcError('SRTP_REPLAY', `SRTP packet ${seq} (ROC ${roc}) replayed or too old`);
    }
    const out = Buffer.allocUnsafe(end);
    packet.copy(out, 0, 0, h);
    if (this.gcm) {
      const decipher = createDecipheriv('aes-128-gcm', this.rtpKey, this.gcmRtpIv(ssrc, roc, seq));
      decipher.setAAD(packet.subarray(0, h));
      decipher.setAuthTag(packet.subarray(end));
      decipher.update(packet.subarray(h, end)).copy(out, h);
      try {
        decipher.final();
      } catch {
        throw new RtcError('SRTP_AUTH', 'SRTP GCM tag mismatch');
      }
    } else {
      this.roc.writeUInt32BE(roc, 0);
      const mac = createHmac('sha1', this.rtpAuth).update(packet.subarray(0, end)).update(this.roc).digest();
      if (!timingSafeEqual(mac.subarray(0, CM_TAG), packet.subarray(end)))
        throw new RtcError('SRTP_AUTH', 'SRTP authentication tag mismatch');
      packet.copy(out, h, h, end);
      this.rtpCm?.xorInto(this.cmRtpIv(ssrc, roc, seq), out, h, end);
    }
    this.acceptRoc(ssrc, state, roc, seq, index);
    return out;
  }

  /** Encrypts an RTCP compound packet (header of the first packet stays clear). */
  protectRtcp(packet: Buffer): Buffer {
    if (packet.length < 8) throw new RtcError('SRTP_TRUNCATED', 'RTCP packet under 8 bytes');
    const ssrc = packet.readUInt32BE(4);
    this.rtcpIndex = (this.rtcpIndex + 1) & 0x7fffffff;
    const index = this.rtcpIndex;
    const eIndex = (0x80000000 | index) >>> 0;
    if (this.gcm) {
      const out = Buffer.allocUnsafe(packet.length + GCM_TAG + SRTCP_INDEX);
      packet.copy(out, 0, 0, 8);
      out.writeUInt32BE(eIndex, packet.length + GCM_TAG);
      const cipher = createCipheriv('aes-128-gcm', this.rtcpKey, this.gcmRtcpIv(ssrc, index));
      cipher.setAAD(Buffer.concat([packet.subarray(0, 8), out.subarray(packet.length + GCM_TAG)]));
      cipher.update(packet.subarray(8)).copy(out, 8);
      cipher.final();
      cipher.getAuthTag().copy(out, packet.length);
      return out;
    }
    const out = Buffer.allocUnsafe(packet.length + SRTCP_INDEX + CM_TAG);
    packet.copy(out, 0, 0, 8);
    createCipheriv('aes-128-ctr', this.rtcpKey, this.cmRtcpIv(ssrc, index)).update(packet.subarray(8)).copy(out, 8);
    out.writeUInt32BE(eIndex, packet.length);
    createHmac('sha1', this.rtcpAuth)
      .update(out.subarray(0, packet.length + SRTCP_INDEX))
      .digest()
      .copy(out, packet.length + SRTCP_INDEX, 0, CM_TAG);
    return out;
  }

  /** Authenticates and decrypts an SRTCP packet; returns the plain compound packet. */
  unprotectRtcp(packet: Buffer): Buffer {
    const tag = this.gcm ? GCM_TAG : CM_TAG;
    if (packet.length < 8 + tag + SRTCP_INDEX)
      throw new RtcError('SRTP_TRUNCATED', `SRTCP packet of ${packet.length} bytes`);
    const ssrc = packet.readUInt32BE(4);
    if (this.gcm) {
      const indexAt = packet.length - SRTCP_INDEX;
      const eIndex = packet.readUInt32BE(indexAt);
      const end = indexAt - GCM_TAG;
      const out = Buffer.allocUnsafe(end);
      packet.copy(out, 0, 0, 8);
      if ((eIndex & 0x80000000) === 0) {
        packet.copy(out, 8, 8, end);
        return out;
      }
      const decipher = createDecipheriv('aes-128-gcm', this.rtcpKey, this.gcmRtcpIv(ssrc, eIndex & 0x7fffffff));
      decipher.setAAD(Buffer.concat([packet.subarray(0, 8), packet.subarray(indexAt)]));
      decipher.setAuthTag(packet.subarray(end, indexAt));
      decipher.update(packet.subarray(8, end)).copy(out, 8);
      try {
        decipher.final();
      } catch {
        throw new RtcError('SRTP_AUTH', 'SRTCP GCM tag mismatch');
      }
      return out;
    }
    const tagAt = packet.length - CM_TAG;
    const mac = createHmac('sha1', this.rtcpAuth).update(packet.subarray(0, tagAt)).digest();
    if (!timingSafeEqual(mac.subarray(0, CM_TAG), packet.subarray(tagAt)))
      throw new RtcError('SRTP_AUTH', 'SRTCP authentication tag mismatch');
    const indexAt = tagAt - SRTCP_INDEX;
    const eIndex = packet.readUInt32BE(indexAt);
    const out = Buffer.allocUnsafe(indexAt);
    packet.copy(out, 0, 0, 8);
    if ((eIndex & 0x80000000) === 0) {
      packet.copy(out, 8, 8, indexAt);
      return out;
    }
    packet.copy(out, 8, 8, indexAt);
    this.rtcpCm?.xorInto(this.cmRtcpIv(ssrc, eIndex & 0x7fffffff), out, 8, indexAt);
    return out;
  }

  /** ROC for a packet we send: counts wraps of our own sequence numbers. */
  private sendRoc(ssrc: number, seq: number): number {
    let state = this.ssrcs.get(ssrc);
    if (!state) {
      if (this.ssrcs.size >= MAX_SSRCS) this.ssrcs.clear();
      state = { roc: 0, last: seq };
      this.ssrcs.set(ssrc, state);
      return 0;
    }
    if (seq < state.last && state.last - seq > 0x8000) state.roc = (state.roc + 1) >>> 0;
    if (seqNewer(seq, state.last)) state.last = seq;
    return state.roc;
  }

  private acceptRoc(ssrc: number, found: SsrcState | undefined, roc: number, seq: number, index: number): void {
    let state = found;
    if (!state) {
      if (this.ssrcs.size >= MAX_SSRCS) this.ssrcs.clear();
      state = { roc, last: seq, seen: new Float64Array(SRTP_REPLAY_WINDOW).fill(-1), highest: index };
      this.ssrcs.set(ssrc, state);
    }
    if (!state.seen) state.seen = new Float64Array(SRTP_REPLAY_WINDOW).fill(-1);
    state.seen[index % SRTP_REPLAY_WINDOW] = index;
    if (state.highest === undefined || index > state.highest) state.highest = index;
    if (!found) return;
    if (roc === (state.roc + 1) >>> 0) {
      state.roc = roc;
      state.last = seq;
    } else if (roc === state.roc && seq > state.last) {
      state.last = seq;
    }
  }

  /** AES-CM IV (RFC 3711 4.1.1): salt << 16 XOR SSRC << 64 XOR index << 16. */
  private cmRtpIv(ssrc: number, roc: number, seq: number): Buffer {
    const iv = this.iv;
    this.rtpSalt.copy(iv, 0, 0, 14);
    iv[14] = 0;
    iv[15] = 0;
    xor32(iv, 4, ssrc);
    xor32(iv, 8, roc);
    iv[12] ^= seq >> 8;
    iv[13] ^= seq & 0xff;
    return iv;
  }

  private cmRtcpIv(ssrc: number, index: number): Buffer {
    const iv = this.iv;
    this.rtcpSalt.copy(iv, 0, 0, 14);
    iv[14] = 0;
    iv[15] = 0;
    xor32(iv, 4, ssrc);
    xor32(iv, 10, index);
    return iv;
  }

  /** GCM IV (RFC 7714 8.1): (0 u16 | SSRC | ROC | SEQ) XOR salt. */
  private gcmRtpIv(ssrc: number, roc: number, seq: number): Buffer {
    const iv = Buffer.alloc(12);
    this.rtpSalt.copy(iv, 0, 0, 12);
    xor32(iv, 2, ssrc);
    xor32(iv, 6, roc);
    iv[10] ^= seq >> 8;
    iv[11] ^= seq & 0xff;
    return iv;
  }

  /** GCM SRTCP IV (RFC 7714 9.1): (0 u16 | SSRC | 0 u16 | 0 + index u31) XOR salt. */
  private gcmRtcpIv(ssrc: number, index: number): Buffer {
    const iv = Buffer.alloc(12);
    this.rtcpSalt.copy(iv, 0, 0, 12);
    xor32(iv, 2, ssrc);
    xor32(iv, 8, index);
    return iv;
  }
}

/** Length of the RTP header: fixed 12, CSRCs, extension (RFC 3550 5.1, 5.3.1). */
export function rtpHeaderLength(packet: Buffer): number {
  if (packet.length < 12) throw new RtcError('SRTP_TRUNCATED', 'RTP packet under 12 bytes');
  let h = 12 + 4 * (packet[0] & 0x0f);
  if (packet[0] & 0x10) {
    if (packet.length < h + 4) throw new RtcError('SRTP_TRUNCATED', 'RTP header extension');
    h += 4 + 4 * packet.readUInt16BE(h + 2);
  }
  if (packet.length < h) throw new RtcError('SRTP_TRUNCATED', 'RTP header');
  return h;
}

/** RFC 3711 3.3.1: the ROC the sender most likely used for seq, given the highest seq seen. */
function estimateRoc(state: SsrcState, seq: number): number {
  if (state.last < 0x8000) {
    if (seq - state.last > 0x8000) return state.roc === 0 ? 0 : state.roc - 1;
    return state.roc;
  }
  if (state.last - 0x8000 > seq) return (state.roc + 1) >>> 0;
  return state.roc;
}

function seqNewer(a: number, b: number): boolean {
  return a !== b && ((a - b) & 0xffff) < 0x8000;
}

function xor32(buf: Buffer, at: number, value: number): void {
  buf[at] ^= value >>> 24;
  buf[at + 1] ^= (value >>> 16) & 0xff;
  buf[at + 2] ^= (value >>> 8) & 0xff;
  buf[at + 3] ^= value & 0xff;
}

/** AES-CM PRF (RFC 3711 4.3.1, 4.3.3): x = label << 48 XOR salt, keystream of AES-CM(master key, x << 16). */
function deriveKey(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0);
  iv[7] ^= label;
  return createCipheriv('aes-128-ctr', masterKey, iv).update(Buffer.alloc(length));
}

/** protectRtpMany's segments and their IVs, shared by every context of the thread (used synchronously). */
const SEGMENTS: (AesCmSegment & { room: Buffer; roc: number })[] = [];

/** Drops a reused segment's references to packet memory. */
function releaseSegment(segment: { data: Buffer; room: Buffer }): void {
  segment.data = EMPTY;
  segment.room = EMPTY;
}

const EMPTY = Buffer.alloc(0);
