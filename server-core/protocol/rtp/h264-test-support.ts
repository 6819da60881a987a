import fc from 'fast-check';

/** A NAL unit of the given type and size (header included), filled deterministically from seed. */
export function makeNal(type: number, size: number, seed: number, nri = 3): Buffer {
  const nal = Buffer.allocUnsafe(size);
  nal[0] = (nri << 5) | type;
  let x = seed | 1;
  for (let i = 1; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    nal[i] = x >>> 24;
  }
  return nal;
}

/** Sizes from 1 byte to 200 KB, weighted towards what real streams carry. */
export const nalSizeArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 60 }) },
  { weight: 4, arbitrary: fc.integer({ min: 61, max: 3000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 3001, max: 200_000 }) },
);

export const nalArb = fc
  .record({
    type: fc.integer({ min: 1, max: 23 }),
    size: nalSizeArb,
    seed: fc.integer(),
    nri: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ type, size, seed, nri }) => makeNal(type, size, seed, nri));

/** An access unit's NAL units: 1..12 of them. */
export const accessUnitArb = fc.array(nalArb, { minLength: 1, maxLength: 12 });
