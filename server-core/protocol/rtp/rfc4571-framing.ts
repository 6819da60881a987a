import { RtpError } from './rtp-error.js';

/**
 * RTP and RTCP over connection-oriented transport (RFC 4571 2), as ICE-TCP (RFC 6544) and GB28181 use it:
 *
 *   | LENGTH u16 (big-endian) | RTP or RTCP packet (LENGTH bytes) | LENGTH | packet | ...
 *
 * A zero LENGTH carries nothing and is skipped.
 */
export const RFC4571_LENGTH_SIZE = 2;
export const RFC4571_MAX_FRAME = 0xffff;

/** The packet behind its 2-byte length, in one buffer. */
export function frameRfc4571(packet: Buffer): Buffer {
  const out = Buffer.allocUnsafe(RFC4571_LENGTH_SIZE + packet.length);
  out.writeUInt16BE(checkLength(packet.length), 0);
  packet.copy(out, RFC4571_LENGTH_SIZE);
  return out;
}

/** Just the 2-byte length, for a gather write (writev) of prefix and packet without copying the packet. */
export function rfc4571Prefix(length: number): Buffer {
  const out = Buffer.allocUnsafe(RFC4571_LENGTH_SIZE);
  out.writeUInt16BE(checkLength(length), 0);
  return out;
}

function checkLength(length: number): number {
  if (!Number.isInteger(length) || length < 0 || length > RFC4571_MAX_FRAME) {
    throw new RtpError('RTP_FRAME_TOO_LARGE', `RFC 4571 frame of ${length} bytes`);
  }
  return length;
}

export interface Rfc4571DeframerOptions {
  /** Largest packet accepted; default (and most) 65535. A larger length is a typed error. */
  maxFrameSize?: number;
}

/**
 * Incremental deframer: bytes from the stream at any split point in, whole packets out. A frame that
 * arrives in one chunk is returned as a subarray of it (no copy); one split across chunks is joined once.
 * After an error the stream cannot be resynchronised: every later push throws the same error.
 */
export class Rfc4571Deframer {
  private readonly maxFrameSize: number;
  /** Bytes of an unfinished length field or frame, as received. */
  private parts: Buffer[] = [];
  private buffered = 0;
  private failure: RtpError | undefined;

  constructor(options: Rfc4571DeframerOptions = {}) {
    const max = options.maxFrameSize ?? RFC4571_MAX_FRAME;
    if (!Number.isInteger(max) || max < 1 || max > RFC4571_MAX_FRAME) {
      throw new RtpError('RTP_BAD_ARGUMENT', `RFC 4571 max frame size ${max}`);
    }
    this.maxFrameSize = max;
  }

  /** Bytes held for an unfinished frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): Buffer[] {
    if (this.failure) throw this.failure;
    const frames: Buffer[] = [];
    let data = chunk;
    if (this.buffered > 0) {
      // Complete the pending frame from the front of chunk first.
      const need = this.neededForPending(chunk);
      if (need === undefined) {
        this.parts.push(chunk);
        this.buffered += chunk.length;
        return frames;
      }
      const joined = Buffer.concat([...this.parts, chunk.subarray(0, need)]);
      this.parts = [];
      this.buffered = 0;
      const length = joined.readUInt16BE(0);
      if (length > 0) frames.push(joined.subarray(RFC4571_LENGTH_SIZE));
      data = chunk.subarray(need);
    }
    let at = 0;
    while (data.length - at >= RFC4571_LENGTH_SIZE) {
      const length = this.checkedLength(data.readUInt16BE(at));
      if (data.length - at - RFC4571_LENGTH_SIZE < length) break;
      if (length > 0) frames.push(data.subarray(at + RFC4571_LENGTH_SIZE, at + RFC4571_LENGTH_SIZE + length));
      at += RFC4571_LENGTH_SIZE + length;
    }
    if (at < data.length) {
      const rest = data.subarray(at);
      this.parts = [rest];
      this.buffered = rest.length;
    }
    return frames;
  }

  /**
   * How many bytes of chunk finish the pending frame, or undefined if chunk is not enough. Checks the
   * length as soon as both of its bytes are known.
   */
  private neededForPending(chunk: Buffer): number | undefined {
    if (this.buffered + chunk.length < RFC4571_LENGTH_SIZE) return undefined;
    const first = this.parts[0];
    const second = first.length > 1 ? first[1] : this.buffered > 1 ? this.parts[1][0] : chunk[0];
    const length = this.checkedLength((first[0] << 8) | second);
    const need = RFC4571_LENGTH_SIZE + length - this.buffered;
    return need <= chunk.length ? need : undefined;
  }

  private checkedLength(length: number): number {
    if (length > this.maxFrameSize) {
      this.failure = new RtpError(
        'RTP_FRAME_TOO_LARGE',
        `RFC 4571 frame of ${length} bytes, limit ${this.maxFrameSize}`,
      );
      throw this.failure;
    }
    return length;
  }
}
