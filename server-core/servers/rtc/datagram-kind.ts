/**
 * What a datagram on the shared port is, by its first byte (RFC 7983 section 7, updating RFC 5764 5.1.2):
 *
 *   0..3     STUN          20..63   DTLS         128..191  RTP / RTCP
 *   (16..19 ZRTP, 64..79 TURN channel, anything else: dropped)
 *
 * RTP and RTCP share the 128..191 range; RTCP has packet types 192..223 in the second byte (RFC 5761 4).
 */
export type DatagramKind = 'stun' | 'dtls' | 'rtp' | 'rtcp' | 'unknown';

export function datagramKind(buf: Uint8Array): DatagramKind {
  if (buf.length === 0) return 'unknown';
  const b = buf[0];
  if (b <= 3) return 'stun';
  if (b >= 20 && b <= 63) return 'dtls';
  if (b >= 128 && b <= 191) {
    if (buf.length < 2) return 'unknown';
    const pt = buf[1];
    return pt >= 192 && pt <= 223 ? 'rtcp' : 'rtp';
  }
  return 'unknown';
}
