import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

/**
 * Generates the app and tray icons (PNG, ICO, ICNS) from one procedural design, the same one resources/icon.svg
 * draws: a dark rounded square with a red "on air" dot and two broadcast rings. No image tools needed.
 */
type Rgba = [number, number, number, number];
const BACKGROUND: Rgba = [17, 24, 39, 255];
const LIVE: Rgba = [239, 68, 68, 255];
const IDLE: Rgba = [156, 163, 175, 255];
const RING: Rgba = [243, 244, 246, 255];
const SUPERSAMPLE = 4;

function shade(x: number, y: number, dot: Rgba, tray: boolean): Rgba | undefined {
  // Coordinates in [0,1].
  const cx = x - 0.5;
  const cy = y - 0.5;
  const r = Math.hypot(cx, cy);
  if (!tray) {
    const radius = 0.22;
    const dx = Math.max(Math.abs(cx) - (0.5 - radius - 0.02), 0);
    const dy = Math.max(Math.abs(cy) - (0.5 - radius - 0.02), 0);
    if (Math.hypot(dx, dy) > radius) return undefined;
  }
  if (r < 0.13) return dot;
  const inRing = (center: number, width: number) => Math.abs(r - center) < width && Math.abs(cy) < r * 0.78;
  if (inRing(0.24, 0.035) || inRing(0.36, 0.035)) return tray ? dot : RING;
  return tray ? undefined : BACKGROUND;
}

function render(size: number, dot: Rgba, tray: boolean): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const c = shade((x + (sx + 0.5) / SUPERSAMPLE) / size, (y + (sy + 0.5) / SUPERSAMPLE) / size, dot, tray);
          if (!c) continue;
          for (let i = 0; i < 3; i++) acc[i] += c[i] * c[3];
          acc[3] += c[3];
        }
      }
      const n = SUPERSAMPLE * SUPERSAMPLE;
      const at = (y * size + x) * 4;
      const alpha = acc[3] / n;
      for (let i = 0; i < 3; i++) pixels[at + i] = acc[3] > 0 ? Math.round(acc[i] / acc[3]) : 0;
      pixels[at + 3] = Math.round(alpha);
    }
  }
  return png(size, size, pixels);
}

/** A minimal PNG (RFC 2083): signature, IHDR (8-bit RGBA), one IDAT, IEND. */
function png(width: number, height: number, rgba: Buffer): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** ICO with PNG-compressed images (Windows Vista+). */
function ico(images: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + images.length * 16;
  const entries = images.map(({ size, data }) => {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

/** ICNS with PNG entries (ic07 128, ic08 256, ic09 512, ic10 1024). */
function icns(images: { type: string; data: Buffer }[]): Buffer {
  const parts = images.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

const out = join(process.cwd(), 'resources', 'icons');
mkdirSync(out, { recursive: true });
const sizes = [16, 32, 48, 128, 256, 512, 1024];
const app = new Map(sizes.map((s) => [s, render(s, LIVE, false)]));
for (const [size, data] of app) writeFileSync(join(out, `icon-${size}.png`), data);
writeFileSync(join(out, 'icon.png'), app.get(512)!);
writeFileSync(join(out, 'icon.ico'), ico([16, 32, 48, 256].map((size) => ({ size, data: app.get(size)! }))));
writeFileSync(
  join(out, 'icon.icns'),
  icns([
    { type: 'ic07', data: app.get(128)! },
    { type: 'ic08', data: app.get(256)! },
    { type: 'ic09', data: app.get(512)! },
    { type: 'ic10', data: app.get(1024)! },
  ]),
);
writeFileSync(join(out, 'tray-live.png'), render(32, LIVE, true));
writeFileSync(join(out, 'tray-idle.png'), render(32, IDLE, true));
process.stdout.write(`icons written to ${out}\n`);
