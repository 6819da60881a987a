import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeAdtsHeader } from './adts.js';
import { AdtsStreamSplitter } from './adts-stream.js';

const config = { objectType: 2, samplingFrequencyIndex: 3, sampleRate: 48000, channelConfiguration: 2 };
const frame = (raw: Buffer) => Buffer.concat([writeAdtsHeader(config, raw.length), raw]);

describe('AdtsStreamSplitter', () => {
  it('returns every frame whatever the chunking, and skips garbage before a sync word', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 800 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 500 }),
        (raws, chunk) => {
          const bytes = Buffer.concat([Buffer.from([1, 2, 3]), ...raws.map((r) => frame(Buffer.from(r)))]);
          const splitter = new AdtsStreamSplitter();
          const out: Buffer[] = [];
          for (let at = 0; at < bytes.length; at += chunk) {
            for (const f of splitter.push(bytes.subarray(at, at + chunk))) {
              expect(f.header.config.sampleRate).toBe(48000);
              out.push(f.raw);
            }
          }
          // Random raw bytes may hold a false sync word, but every real frame after the garbage is found.
          expect(out.slice(-raws.length).map((b) => [...b])).toEqual(raws.map((r) => [...r]));
        },
      ),
    );
  });

  it('never throws on random bytes and keeps a bounded tail', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        new AdtsStreamSplitter().push(Buffer.from(bytes));
      }),
    );
  });
});
