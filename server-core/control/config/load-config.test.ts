import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './load-config.js';

function problemOf(input: unknown): ConfigError {
  try {
    parseConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('config accepted');
}

describe('config errors', () => {
  it('never echo a rejected srt.passphrase, only what is allowed', () => {
    const error = problemOf({ srt: { passphrase: 'short!' } });
    expect(error.message).toContain('srt.passphrase');
    expect(error.message).toContain('10 to 79 characters');
    expect(error.message).not.toContain('short!');
    expect(error.problems).toEqual([expect.objectContaining({ key: 'srt.passphrase', value: undefined })]);
  });

  it('still show the value of an ordinary key', () => {
    const error = problemOf({ srt: { latencyMs: 5 } });
    expect(error.message).toContain('srt.latencyMs');
    expect(error.message).toContain('(got 5)');
  });
});
