import { expect } from 'vitest';
import { RtpError } from './rtp-error.js';

/** Runs fn; returns undefined when it does not throw, the RtpError code when it does (anything else fails). */
export function rtpErrorCode(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(RtpError);
    return (error as RtpError).code;
  }
}
