import { BitstreamError } from '../bits/bitstream-error.js';

/** What a checker says about one codec configuration: usable (with what it read) or why not. */
export type ConfigVerdict<Info> = { ok: true; info: Info } | { ok: false; reason: string };

/** A rejection: `subject: detail`, e.g. "AVC record: no PPS". */
export function rejected(subject: string, detail: string): { ok: false; reason: string } {
  return { ok: false, reason: `${subject}: ${detail}` };
}

/**
 * Runs a checker so that it never throws: a parser's BitstreamError becomes the reason; anything else is a bug in
 * a parser, reported as a rejection too (the input stays refused, the process stays up).
 */
export function checkSafely<Info>(subject: string, check: () => ConfigVerdict<Info>): ConfigVerdict<Info> {
  try {
    return check();
  } catch (err) {
    if (err instanceof BitstreamError) return rejected(subject, err.message);
    const name = err instanceof Error ? err.name : typeof err;
    const message = err instanceof Error ? err.message : String(err);
    return rejected(subject, `unreadable (${name}: ${message})`);
  }
}

/** Runs a nested parse and prefixes its failure: "SPS 1 does not parse: ...". */
export function within<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof BitstreamError) throw new BitstreamError(err.code, `${what}: ${err.message}`);
    throw err;
  }
}

export function bytes(n: number): string {
  return n === 1 ? '1 byte' : `${n} bytes`;
}
