import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RotatingFile } from './rotating-file.js';

describe('RotatingFile', () => {
  it('rotates by size and keeps the configured number of old files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-log-'));
    const path = join(dir, 'tally.log');
    const file = new RotatingFile({ path, maxBytes: 100, keep: 2 });
    for (let i = 0; i < 10; i++) file.write(`${String(i).padStart(2, '0')}${'x'.repeat(37)}\n`);
    await new Promise<void>((resolve) => file.end(resolve));
    expect(readdirSync(dir).sort()).toEqual(['tally.log', 'tally.log.1', 'tally.log.2']);
    expect(readFileSync(path, 'utf8').startsWith('08')).toBe(true);
    expect(readFileSync(`${path}.1`, 'utf8').startsWith('06')).toBe(true);
  });
});
