import fc from 'fast-check';

/**
 * Structure-aware mutation of valid encodings, for property tests: start from bytes a writer made (or a fixture)
 * and break them the way hostile or buggy peers do — cut them short, rewrite a length or count field, set a
 * reserved value, drop or insert bytes — instead of hoping random bytes reach the deep code paths.
 */

/** A field of an encoding: `size` big-endian bytes at `offset`, the bits of `mask` within them (default: all). */
export interface Field {
  name: string;
  offset: number;
  size: 1 | 2 | 3 | 4;
  mask?: number;
}

export interface Mutant {
  bytes: Buffer;
  /** What was done, for the failure report. */
  how: string;
}

type Step = (b: Buffer) => Mutant;

const fullMask = (size: number) => 2 ** (8 * size) - 1;

function trailingZeros(mask: number): number {
  let n = 0;
  while (mask > 0 && mask % 2 === 0) {
    mask /= 2;
    n++;
  }
  return n;
}

/** The value of a field (its masked bits, shifted down). */
export function readField(buf: Buffer, field: Field): number {
  const mask = field.mask ?? fullMask(field.size);
  return Math.floor((buf.readUIntBE(field.offset, field.size) & mask) / 2 ** trailingZeros(mask));
}

/** A copy with the field set to `value` (truncated to the field's width). */
export function writeField(buf: Buffer, field: Field, value: number): Buffer {
  const out = Buffer.from(buf);
  const mask = field.mask ?? fullMask(field.size);
  const shift = 2 ** trailingZeros(mask);
  const width = Math.round(mask / shift);
  const raw = out.readUIntBE(field.offset, field.size);
  const next = (raw & ~mask & fullMask(field.size)) + (((value % (width + 1)) + width + 1) % (width + 1)) * shift;
  out.writeUIntBE(next >>> 0, field.offset, field.size);
  return out;
}

/** Values worth trying in a field: the edges, one off the original, anything. */
function fieldValue(buf: Buffer, field: Field): fc.Arbitrary<number> {
  const mask = field.mask ?? fullMask(field.size);
  const max = Math.round(mask / 2 ** trailingZeros(mask));
  const original = readField(buf, field);
  return fc.oneof(
    fc.constantFrom(0, 1, max, max - 1, original + 1, original - 1, original * 2),
    fc.integer({ min: 0, max }),
  );
}

function stepFor(valid: Buffer, fields: readonly Field[]): fc.Arbitrary<Step> {
  const steps: fc.Arbitrary<Step>[] = [
    fc.nat().map((n) => (b: Buffer) => {
      const at = b.length === 0 ? 0 : n % b.length;
      return { bytes: b.subarray(0, at), how: `truncate to ${at}` };
    }),
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([n, v]) => (b: Buffer) => {
      if (b.length === 0) return { bytes: b, how: 'nothing to set' };
      const out = Buffer.from(b);
      out[n % b.length] = v;
      return { bytes: out, how: `byte ${n % b.length} = ${v}` };
    }),
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([n, bit]) => (b: Buffer) => {
      if (b.length === 0) return { bytes: b, how: 'nothing to flip' };
      const out = Buffer.from(b);
      out[n % b.length] ^= 1 << bit;
      return { bytes: out, how: `flip bit ${bit} of byte ${n % b.length}` };
    }),
    fc.tuple(fc.nat(), fc.integer({ min: 1, max: 8 })).map(([n, count]) => (b: Buffer) => {
      const at = b.length === 0 ? 0 : n % b.length;
      return {
        bytes: Buffer.concat([b.subarray(0, at), b.subarray(at + count)]),
        how: `delete ${count} at ${at}`,
      };
    }),
    fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([n, extra]) => (b: Buffer) => {
      const at = n % (b.length + 1);
      return {
        bytes: Buffer.concat([b.subarray(0, at), Buffer.from(extra), b.subarray(at)]),
        how: `insert ${extra.length} at ${at}`,
      };
    }),
  ];
  if (fields.length > 0) {
    const fieldStep = fc
      .constantFrom(...fields)
      .chain((field) => fieldValue(valid, field).map((value) => ({ field, value })))
      .map(
        ({ field, value }) =>
          (b: Buffer): Mutant =>
            field.offset + field.size > b.length
              ? { bytes: b, how: `${field.name} gone` }
              : { bytes: writeField(b, field, value), how: `${field.name} = ${value}` },
      );
    // Field rewrites are what reach the checks past the first length: weigh them up.
    steps.push(fieldStep, fieldStep, fieldStep);
  }
  return fc.oneof(...steps);
}

/** One to three mutations of `valid`, with field rewrites among them when fields are given. */
export function mutated(valid: Buffer, fields: readonly Field[] = []): fc.Arbitrary<Mutant> {
  return fc.array(stepFor(valid, fields), { minLength: 1, maxLength: 3 }).map((steps) => {
    let current: Mutant = { bytes: valid, how: '' };
    const hows: string[] = [];
    for (const step of steps) {
      current = step(current.bytes);
      hows.push(current.how);
    }
    return { bytes: current.bytes, how: hows.join(', ') };
  });
}
