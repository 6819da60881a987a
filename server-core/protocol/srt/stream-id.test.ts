import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SrtError } from './srt-error.js';
import { parseStreamId } from './stream-id.js';

const codeOf = (raw: string) => {
  try {
    parseStreamId(raw);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(SrtError);
    return (error as SrtError).code;
  }
};

describe('stream id parser', () => {
  it('reads the access-control form', () => {
    expect(parseStreamId('#!::r=live/livestream,m=publish')).toMatchObject({
      app: 'live',
      stream: 'livestream',
      mode: 'publish',
      query: {},
    });
    expect(parseStreamId('#!::r=live/livestream,m=request')).toMatchObject({ mode: 'request' });
    expect(parseStreamId('#!::m=publish,r=live/cam,u=alice,s=abc,t=stream')).toMatchObject({
      stream: 'cam',
      user: 'alice',
      session: 'abc',
    });
  });

  it('takes h=app/stream when there is no r (SRS)', () => {
    expect(parseStreamId('#!::h=live/livestream,m=publish')).toMatchObject({ app: 'live', stream: 'livestream' });
    expect(parseStreamId('#!::h=ignored/x,r=live/a')).toMatchObject({ app: 'live', stream: 'a' });
  });

  it('puts extra keys and resource queries in the query', () => {
    const id = parseStreamId('#!::r=live/livestream?token=t1,m=publish,secret=abc');
    expect(id.query).toEqual({ token: 't1', secret: 'abc' });
  });

  it('reads bare paths with a query', () => {
    expect(parseStreamId('live/livestream')).toMatchObject({ app: 'live', stream: 'livestream', mode: 'request' });
    expect(parseStreamId('/live/livestream?secret=x&m=publish')).toMatchObject({
      mode: 'publish',
      query: { secret: 'x' },
    });
    expect(parseStreamId('live/sub/stream')).toMatchObject({ app: 'live/sub', stream: 'stream' });
  });

  it('percent-decodes what ffmpeg 5.1 encodes', () => {
    expect(parseStreamId('%23%21%3A%3Ar%3Dlive%2Flivestream%2Cm%3Dpublish')).toMatchObject({
      app: 'live',
      stream: 'livestream',
      mode: 'publish',
    });
    expect(parseStreamId('#!::r=live%2Fmy%20cam,m=publish,secret=a%26b')).toMatchObject({
      stream: 'my cam',
      query: { secret: 'a&b' },
    });
  });

  it('gives a clear error when something is missing or wrong', () => {
    expect(() => parseStreamId('')).toThrow(/no stream id/);
    expect(() => parseStreamId('#!::m=publish')).toThrow(/no resource/);
    expect(codeOf('#!::r=livestream')).toBe('SRT_BAD_STREAM_ID');
    expect(codeOf('#!::r=live/x,m=bidirectional')).toBe('SRT_BAD_STREAM_ID');
    expect(codeOf('#!::r=live/x,t=file')).toBe('SRT_BAD_STREAM_ID');
    expect(codeOf('#!::r=live/%zz')).toBe('SRT_BAD_STREAM_ID');
    expect(codeOf('live/../etc')).toBe('SRT_BAD_STREAM_ID');
    expect(codeOf('#!::novalue')).toBe('SRT_BAD_STREAM_ID');
    expect(codeOf('x'.repeat(513))).toBe('SRT_TOO_LARGE');
  });

  it('keeps __proto__ a plain key', () => {
    const id = parseStreamId('#!::r=live/a,__proto__=x');
    expect(Object.entries(id.query)).toEqual([['__proto__', 'x']]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('throws nothing but SrtError on any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `#!::${s}`),
        ),
        (s) => {
          codeOf(s);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('round-trips app, stream, mode and query through the keyed form', () => {
    const name = fc.stringMatching(/^[a-zA-Z0-9_-]{1,12}$/);
    fc.assert(
      fc.property(name, name, fc.constantFrom('publish', 'request'), fc.dictionary(name, name), (app, stream, m, q) => {
        fc.pre(Object.keys(q).every((k) => !['r', 'h', 'm', 'u', 's', 't'].includes(k)));
        const extra = Object.entries(q).map(([k, v]) => `,${k}=${encodeURIComponent(v)}`);
        const id = parseStreamId(`#!::r=${app}/${stream},m=${m}${extra.join('')}`);
        expect({ ...id.query }).toEqual(q);
        expect([id.app, id.stream, id.mode]).toEqual([app, stream, m]);
      }),
    );
  });
});
