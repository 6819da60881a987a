import { describe, expect, it } from 'vitest';
import { BitWriter } from './bit-writer.js';
import { BitstreamError } from './bitstream-error.js';

describe('BitWriter', () => {
  it('packs MSB-first and zero-pads the last byte', () => {
    const w = new BitWriter();
    w.writeBits(3, 0b101);
    w.writeBits(1, 0);
    w.writeBits(6, 0b11_0001);
    expect([...w.toBuffer()]).toEqual([0b1010_1100, 0b0100_0000]);
    expect(w.bitLength).toBe(10);
  });

  it('writes 32-bit values and grows past its first allocation', () => {
    const w = new BitWriter();
    for (let i = 0; i < 100; i++) w.writeBits(32, 0xdeadbeef);
    const out = w.toBuffer();
    expect(out.length).toBe(400);
    expect(out.readUInt32BE(396)).toBe(0xdeadbeef);
  });

  it('writes Exp-Golomb codes', () => {
    const w = new BitWriter();
    w.writeUE(0); // 1
    w.writeUE(3); // 00100
    w.writeSE(-2); // ue 4 -> 00101
    w.byteAlign();
    expect([...w.toBuffer()]).toEqual([0b1001_0000, 0b1010_0000]);
  });

  it('refuses values that do not fit', () => {
    const w = new BitWriter();
    expect(() => w.writeBits(3, 8)).toThrowError(BitstreamError);
    expect(() => w.writeBits(33, 0)).toThrowError(BitstreamError);
    expect(() => w.writeUE(-1)).toThrowError(BitstreamError);
    expect(() => w.writeUE(2 ** 32 - 1)).toThrowError(BitstreamError);
  });
});
