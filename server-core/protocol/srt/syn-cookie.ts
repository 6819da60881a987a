import { createHmac } from 'node:crypto';

/**
 * SYN cookie of the caller-listener handshake (draft-sharabayko-srt-01 section 4.3.1.1): the listener answers an
 * induction without keeping state, with a cookie the caller must echo in its conclusion. Ours is the first 32
 * bits of HMAC-SHA256(secret, peer address | port | time bucket); a cookie from the previous bucket is still
 * accepted, so a caller that straddles a bucket edge gets through.
 */
export const COOKIE_BUCKET_MS = 64_000;

export interface SrtPeer {
  address: string;
  port: number;
}

export class SynCookies {
  constructor(private readonly secret: Buffer) {}

  issue(peer: SrtPeer, nowMs: number): number {
    return this.compute(peer, Math.floor(nowMs / COOKIE_BUCKET_MS));
  }

  check(cookie: number, peer: SrtPeer, nowMs: number): boolean {
    const bucket = Math.floor(nowMs / COOKIE_BUCKET_MS);
    return cookie === this.compute(peer, bucket) || cookie === this.compute(peer, bucket - 1);
  }

  private compute(peer: SrtPeer, bucket: number): number {
    return createHmac('sha256', this.secret).update(`${peer.address}|${peer.port}|${bucket}`).digest().readUInt32BE(0);
  }
}
