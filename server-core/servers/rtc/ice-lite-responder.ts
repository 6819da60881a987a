import {
  ATTR_USE_CANDIDATE,
  ATTR_USERNAME,
  ATTR_XOR_MAPPED_ADDRESS,
  parseStunMessage,
  STUN_BINDING_INDICATION,
  STUN_BINDING_REQUEST,
  STUN_BINDING_SUCCESS,
  type StunAddress,
  serializeStunMessage,
  stunAttribute,
  verifyStunIntegrity,
  xorMappedAddress,
} from './stun-message.js';

/** What the responder checks a request against: one set of ICE credentials (ours and the peer's ufrag). */
export interface IceCredentials {
  localUfrag: string;
  localPwd: string;
  remoteUfrag: string;
}

export type BindingVerdict<T extends IceCredentials> =
  | { kind: 'answer'; response: Buffer; login: T; useCandidate: boolean }
  /** A Binding indication (keepalive, RFC 8445 11): no answer, the owner is known only by address. */
  | { kind: 'indication' }
  | { kind: 'reject'; reason: string };

/**
 * An ICE-lite agent's whole STUN side (RFC 8445 2.5, 7.3): it only answers connectivity checks. A Binding
 * request whose USERNAME is "ourUfrag:theirUfrag" and whose MESSAGE-INTEGRITY verifies with our password gets
 * a success response with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT; anything else is rejected
 * without an answer (the caller counts it). A full agent checking us is always controlling.
 */
export function answerBinding<T extends IceCredentials>(
  datagram: Buffer,
  remote: StunAddress,
  lookup: (localUfrag: string) => T | undefined,
): BindingVerdict<T> {
  let message: ReturnType<typeof parseStunMessage>;
  try {
    message = parseStunMessage(datagram);
  } catch (e) {
    return { kind: 'reject', reason: (e as Error).message };
  }
  if (message.type === STUN_BINDING_INDICATION) return { kind: 'indication' };
  if (message.type !== STUN_BINDING_REQUEST)
    return { kind: 'reject', reason: `STUN type 0x${message.type.toString(16)}` };
  const username = stunAttribute(message, ATTR_USERNAME)?.toString('utf8');
  if (!username) return { kind: 'reject', reason: 'Binding request without USERNAME' };
  const colon = username.indexOf(':');
  if (colon <= 0) return { kind: 'reject', reason: 'USERNAME is not ufrag:ufrag' };
  const login = lookup(username.slice(0, colon));
  if (!login) return { kind: 'reject', reason: 'unknown ufrag' };
  if (username.slice(colon + 1) !== login.remoteUfrag) return { kind: 'reject', reason: 'remote ufrag mismatch' };
  if (!verifyStunIntegrity(message, login.localPwd)) return { kind: 'reject', reason: 'MESSAGE-INTEGRITY mismatch' };
  const useCandidate = stunAttribute(message, ATTR_USE_CANDIDATE) !== undefined;
  const response = serializeStunMessage(
    STUN_BINDING_SUCCESS,
    message.transactionId,
    [{ type: ATTR_XOR_MAPPED_ADDRESS, value: xorMappedAddress(remote, message.transactionId) }],
    { integrityKey: login.localPwd, fingerprint: true },
  );
  return { kind: 'answer', response, login, useCandidate };
}
