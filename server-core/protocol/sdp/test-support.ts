import { expect } from 'vitest';
import { SdpError } from './sdp-error.js';

/** Runs fn; undefined when it does not throw, the SdpError code when it does (anything else fails). */
export function sdpErrorCode(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(SdpError);
    return (error as SdpError).code;
  }
}

/** The offer with lines matching `drop` removed and `edit` applied to every line. */
export function editOffer(sdp: string, drop: RegExp | undefined, edit: (line: string) => string = (l) => l): string {
  return sdp
    .split('\r\n')
    .filter((l) => l === '' || !drop || !drop.test(l))
    .map((l) => (l === '' ? l : edit(l)))
    .join('\r\n');
}
