import { decodeKeyMaterial, encodeKmState, KmState } from './key-material.js';
import type { PayloadCipher } from './payload-cipher.js';
import { SrtError } from './srt-error.js';
import { unwrapStreamKeys } from './stream-keys.js';

export interface KeyRefreshAnswer {
  /** The KMRSP body: the key material echoed when installed, else one word of KM state. */
  response: Buffer;
  installed: boolean;
}

/**
 * A KMREQ after the handshake (draft-sharabayko-srt-01 section 6.1.6): libsrt senders refresh the stream key
 * every SRTO_KMREFRESHRATE packets, sending the new key (with the current one, KK = 3) SRTO_KMPREANNOUNCE
 * packets before they switch the data packets' KK, and the new key alone once the old one is retired. The keys
 * unwrapped with our passphrase join the connection's cipher; the KMRSP echoes the request, which is what stops
 * the sender from repeating it. Key material we cannot use is answered with its KM state and changes nothing.
 */
export function answerKeyRefresh(
  keyMaterial: Buffer,
  passphrase: string | undefined,
  cipher: PayloadCipher | undefined,
): KeyRefreshAnswer {
  if (!passphrase || !cipher) return { response: encodeKmState(KmState.NOSECRET), installed: false };
  try {
    cipher.update(unwrapStreamKeys(decodeKeyMaterial(keyMaterial), passphrase));
  } catch (error) {
    if (!(error instanceof SrtError)) throw error;
    return { response: encodeKmState(KmState.BADSECRET), installed: false };
  }
  return { response: Buffer.from(keyMaterial), installed: true };
}
