import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oggCrc } from './ogg-crc.js';
import { OggOpusWriter } from './ogg-opus-writer.js';
import { OggPacketReader } from './ogg-packet-reader.js';
import { OGG_BOS, writeOggPage } from './ogg-page.js';

function opusHead(): Buffer {
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head[8] = 1;
  head[9] = 2;
  head.writeUInt16LE(312, 10);
  head.writeUInt32LE(48000, 12);
  return head;
}

function readAll(bytes: Buffer, chunkSizes: number[]): Buffer[] {
  const reader = new OggPacketReader();
  const out: Buffer[] = [];
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const size = Math.max(1, chunkSizes[i++ % chunkSizes.length]);
    for (const p of reader.push(bytes.subarray(at, at + size))) out.push(p.data);
    at += size;
  }
  return out;
}

describe('oggCrc', () => {
  it('is CRC-32 with polynomial 0x04C11DB7, initial 0 and no final XOR (check value of "123456789")', () => {
    expect(oggCrc(Buffer.from('123456789', 'latin1'))).toBe(0x89a1897f);
  });
});

describe('Ogg pages and packets', () => {
  it('reads back every packet written, whatever the chunking of the byte stream', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 1200 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
        (packets, chunks) => {
          const writer = new OggOpusWriter(7);
          const bytes = Buffer.concat([
            writer.headers(opusHead()),
            ...packets.map((p) => writer.packet(Buffer.from(p), 960)),
          ]);
          const read = readAll(bytes, chunks);
          expect(read.length).toBe(packets.length + 2);
          expect(read[0].subarray(0, 8).toString('latin1')).toBe('OpusHead');
          expect(read[1].subarray(0, 8).toString('latin1')).toBe('OpusTags');
          read.slice(2).forEach((p, i) => {
            expect(Buffer.compare(p, Buffer.from(packets[i]))).toBe(0);
          });
        },
      ),
    );
  });

  it('keeps a packet that spans pages and carries granule positions', () => {
    const big = Buffer.alloc(255 * 255 + 100, 7);
    const first = writeOggPage(
      { headerType: OGG_BOS, granule: -1n, serial: 1, sequence: 0, lastPacketContinues: true },
      [big.subarray(0, 255 * 255)],
    );
    // A first page of only 255-byte segments: the packet goes on in the next page, flagged as a continuation.
    const second = writeOggPage({ headerType: 0x01, granule: 960n, serial: 1, sequence: 1 }, [big.subarray(255 * 255)]);
    const reader = new OggPacketReader();
    expect(reader.push(first)).toEqual([]);
    const [packet] = reader.push(second);
    expect(packet.data.length).toBe(big.length);
    expect(packet.granule).toBe(960n);
  });

  it('skips a page whose checksum is wrong and garbage between pages, and reads on', () => {
    const writer = new OggOpusWriter(3);
    const pages = [writer.headers(opusHead()), writer.packet(Buffer.from([1, 2, 3]), 960)];
    const bad = writer.packet(Buffer.from([4, 5, 6]), 960);
    bad[bad.length - 1] ^= 0xff;
    const good = writer.packet(Buffer.from([7, 8, 9]), 960);
    const reader = new OggPacketReader();
    const bytes = Buffer.concat([Buffer.from('garbageOgg'), ...pages, bad, Buffer.from([0, 0x4f, 0x67]), good]);
    const read = reader.push(bytes).map((p) => [...p.data]);
    expect(read.slice(2)).toEqual([
      [1, 2, 3],
      [7, 8, 9],
    ]);
    expect(reader.badPages).toBeGreaterThanOrEqual(1);
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) => {
        const reader = new OggPacketReader();
        reader.push(Buffer.concat([Buffer.from('OggS'), Buffer.from(bytes)]));
      }),
    );
  });
});
