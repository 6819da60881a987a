import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRtcpCompound, serializeRtcpCompound } from './rtcp-compound.js';
import { nackFcisToSequences, sequencesToNackFcis } from './rtcp-nack.js';
import { seqAdd } from './sequence-number.js';

describe('generic NACK list coding (RFC 4585 6.2.1)', () => {
  it('expands PID + BLP', () => {
    expect(nackFcisToSequences([{ pid: 100, blp: 0b1000_0000_0000_0101 }])).toEqual([100, 101, 103, 116]);
    expect(nackFcisToSequences([{ pid: 0xfffe, blp: 0b11 }])).toEqual([0xfffe, 0xffff, 0]);
  });

  it('compresses into the fewest FCIs, across the wrap', () => {
    expect(sequencesToNackFcis([100, 101, 103, 116])).toEqual([{ pid: 100, blp: 0b1000_0000_0000_0101 }]);
    expect(sequencesToNackFcis([100, 117])).toEqual([
      { pid: 100, blp: 0 },
      { pid: 117, blp: 0 },
    ]);
    expect(sequencesToNackFcis([0xffff, 0, 1, 0xfffe])).toEqual([{ pid: 0xfffe, blp: 0b111 }]);
    expect(sequencesToNackFcis([])).toEqual([]);
  });

  it('compress then expand gives back the set, sorted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.uniqueArray(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 300 }),
        (base, offsets) => {
          const seqs = offsets.map((o) => seqAdd(base, o));
          const fcis = sequencesToNackFcis(seqs);
          const sortedOffsets = [...offsets].sort((a, b) => a - b);
          const first = offsets[0];
          // Ordered from the first number given: offsets below it are before it in wrap-aware order too.
          expect(nackFcisToSequences(fcis)).toEqual(sortedOffsets.map((o) => seqAdd(base, o)));
          expect(fcis.length).toBeLessThanOrEqual(seqs.length);
          void first;
          // Greedy is optimal: every FCI's PID is more than 16 after the previous PID.
          for (let i = 1; i < fcis.length; i++) expect((fcis[i].pid - fcis[i - 1].pid) & 0xffff).toBeGreaterThan(16);
        },
      ),
    );
  });

  it('round-trips through the wire', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 30000, max: 31000 }), { maxLength: 100 }), (lost) => {
        const [back] = parseRtcpCompound(serializeRtcpCompound([{ type: 'nack', senderSsrc: 1, mediaSsrc: 2, lost }]));
        expect(back).toEqual({ type: 'nack', senderSsrc: 1, mediaSsrc: 2, lost: [...lost].sort((a, b) => a - b) });
      }),
    );
  });
});
