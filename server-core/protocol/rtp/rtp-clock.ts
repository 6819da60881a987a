/**
 * Media time at the edge (DESIGN: MediaPacket times are integer milliseconds; RTP clocks are converted here).
 * RTP timestamps are 32-bit and start at a random offset (RFC 3550 5.1): ticks here are relative, unwrapped
 * counts (see TimestampUnwrapper), offsets are the caller's.
 */
export function msToRtpTicks(ms: number, clockRate: number): number {
  return Math.round((ms * clockRate) / 1000);
}

export function rtpTicksToMs(ticks: number, clockRate: number): number {
  return Math.round((ticks * 1000) / clockRate);
}

/** A 32-bit RTP timestamp for a millisecond time: (offset + ms in ticks) mod 2^32. */
export function rtpTimestampFromMs(ms: number, clockRate: number, offset = 0): number {
  return (offset + msToRtpTicks(ms, clockRate)) >>> 0;
}
