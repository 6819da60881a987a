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

  it('never echo a forward destination URL or key (URLs may carry the key)', () => {
    const error = problemOf({ forward: { destinations: [{ name: 'yt', url: 'http://x/live2/SECRET-KEY' }] } });
    expect(error.problems[0].key).toBe('forward.destinations.0.url');
    expect(error.message).not.toContain('SECRET-KEY');
  });

  it('refuses two forward destinations of the same name', () => {
    const destination = { name: 'yt', url: 'rtmp://a.example/live2' };
    const error = problemOf({ forward: { destinations: [destination, destination] } });
    expect(error.message).toContain('unique');
  });

  it('accepts forward destinations and an edge origin with their defaults', () => {
    const config = parseConfig({
      forward: { destinations: [{ name: 'yt', url: 'rtmps://a.example:443/live2', key: 'k' }] },
      edge: { origin: 'rtmp://origin.example:1935' },
    });
    expect(config.forward.destinations[0]).toEqual({
      name: 'yt',
      url: 'rtmps://a.example:443/live2',
      key: 'k',
      streams: [],
      enabled: true,
    });
    expect(config.forward.retryMaxMs).toBe(30_000);
    expect(config.edge.lingerMs).toBe(3000);
    expect(config.rtmp.tlsEnabled).toBe(false);
    expect(() => parseConfig({ edge: { origin: 'http://origin.example' } })).toThrow(ConfigError);
  });
});
