import { SrtError } from './srt-error.js';

/**
 * Key material message, the body of KMREQ/KMRSP (draft-sharabayko-srt-01 section 3.2.2):
 *    0                   1                   2                   3
 *   |S|  V  |   PT  |             Sign (0x2029)         |  Resv1  |KK |
 *   |                             KEKI                              |
 *   |    Cipher     |     Auth      |      SE       |    Resv2      |
 *   |            Resv3              |    SLen/4     |    KLen/4     |
 *   |                         Salt (SLen)                           |
 *   |              Wrapped Key (8 + KLen, or 8 + 2 KLen when KK=3)  |
 * V=1, PT=2 (KM message). KK: 1 even key, 2 odd key, 3 both (even first). Cipher 2 = AES-CTR. SE 2 = SRT.
 * A KMRSP that reports a failure is a single word instead: the KM state (3 NOSECRET, 4 BADSECRET).
 */
export const KM_HEADER_SIZE = 16;
export const KM_SIGN = 0x2029;
export const KM_VERSION = 1;
export const KM_PACKET_TYPE = 2;
export const KmCipher = { NONE: 0, AES_ECB: 1, AES_CTR: 2, AES_CBC: 3, AES_GCM: 4 } as const;
export const KM_SE_SRT = 2;
/** KM states a KMRSP may carry instead of key material (libsrt SRT_KM_S_*). */
export const KmState = { UNSECURED: 0, SECURING: 1, SECURED: 2, NOSECRET: 3, BADSECRET: 4 } as const;
/** Salt is 128 bits in every SRT version; we accept up to this much. */
export const MAX_KM_SALT_BYTES = 16;

export interface KeyMaterial {
  /** 1 even, 2 odd, 3 both. */
  keyFlags: 1 | 2 | 3;
  keki: number;
  cipher: number;
  auth: number;
  se: number;
  salt: Buffer;
  /** Bytes per key: 16, 24 or 32. */
  keyLength: number;
  wrappedKeys: Buffer;
}

export function decodeKeyMaterial(body: Buffer): KeyMaterial {
  if (body.length < KM_HEADER_SIZE) throw new SrtError('SRT_TRUNCATED', `key material of ${body.length} bytes`);
  const version = (body[0] >> 4) & 7;
  const pt = body[0] & 0xf;
  const sign = body.readUInt16BE(1);
  if (version !== KM_VERSION || pt !== KM_PACKET_TYPE || sign !== KM_SIGN) {
    throw new SrtError('SRT_INVALID', `not a KM message (version ${version}, type ${pt}, sign ${sign.toString(16)})`);
  }
  const keyFlags = body[3] & 3;
  if (keyFlags === 0) throw new SrtError('SRT_INVALID', 'key material without a key');
  const saltLength = body[14] * 4;
  const keyLength = body[15] * 4;
  if (saltLength > MAX_KM_SALT_BYTES || saltLength < 8) throw new SrtError('SRT_CRYPTO', `salt of ${saltLength} bytes`);
  if (keyLength !== 16 && keyLength !== 24 && keyLength !== 32) {
    throw new SrtError('SRT_CRYPTO', `stream key of ${keyLength} bytes`);
  }
  const wrappedLength = 8 + keyLength * (keyFlags === 3 ? 2 : 1);
  if (body.length < KM_HEADER_SIZE + saltLength + wrappedLength) {
    throw new SrtError('SRT_TRUNCATED', `key material of ${body.length} bytes, layout needs more`);
  }
  const saltAt = KM_HEADER_SIZE;
  return {
    keyFlags: keyFlags as 1 | 2 | 3,
    keki: body.readUInt32BE(4),
    cipher: body[8],
    auth: body[9],
    se: body[10],
    salt: Buffer.from(body.subarray(saltAt, saltAt + saltLength)),
    keyLength,
    wrappedKeys: Buffer.from(body.subarray(saltAt + saltLength, saltAt + saltLength + wrappedLength)),
  };
}

export function encodeKeyMaterial(km: KeyMaterial): Buffer {
  const out = Buffer.alloc(KM_HEADER_SIZE + km.salt.length + km.wrappedKeys.length);
  out[0] = (KM_VERSION << 4) | KM_PACKET_TYPE;
  out.writeUInt16BE(KM_SIGN, 1);
  out[3] = km.keyFlags & 3;
  out.writeUInt32BE(km.keki >>> 0, 4);
  out[8] = km.cipher;
  out[9] = km.auth;
  out[10] = km.se;
  out[14] = km.salt.length / 4;
  out[15] = km.keyLength / 4;
  km.salt.copy(out, KM_HEADER_SIZE);
  km.wrappedKeys.copy(out, KM_HEADER_SIZE + km.salt.length);
  return out;
}

/** A KMRSP body that reports a KM state instead of echoing key material. */
export function encodeKmState(state: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(state >>> 0, 0);
  return out;
}
