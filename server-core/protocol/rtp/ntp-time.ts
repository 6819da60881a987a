/**
 * NTP timestamps as RTCP carries them (RFC 3550 4): seconds since 1900-01-01 in 32 bits and a 32-bit binary
 * fraction. Time comes in as Unix milliseconds from the caller's clock.
 */
export interface NtpTimestamp {
  seconds: number;
  fraction: number;
}

/** Seconds from 1900-01-01 to 1970-01-01. */
export const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800;
const FRACTION_SCALE = 0x1_0000_0000;

export function ntpFromUnixMs(ms: number): NtpTimestamp {
  const totalSeconds = Math.floor(ms / 1000);
  const fraction = Math.floor(((ms - totalSeconds * 1000) / 1000) * FRACTION_SCALE) >>> 0;
  return { seconds: (totalSeconds + NTP_UNIX_OFFSET_SECONDS) >>> 0, fraction };
}

export function unixMsFromNtp(ntp: NtpTimestamp): number {
  return (ntp.seconds - NTP_UNIX_OFFSET_SECONDS) * 1000 + (ntp.fraction / FRACTION_SCALE) * 1000;
}

/** The middle 32 bits (LSR in a report block, RFC 3550 6.4.1). */
export function ntpMiddle32(ntp: NtpTimestamp): number {
  return (((ntp.seconds & 0xffff) << 16) | (ntp.fraction >>> 16)) >>> 0;
}
