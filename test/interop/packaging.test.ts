import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from './support/run-process.js';

const require = createRequire(import.meta.url);

/**
 * The desktop package, built offline: electron-builder with a stub Electron distribution (the real binary
 * cannot be downloaded here). Checks what a user's install would contain.
 */
describe('desktop packaging', () => {
  it('packages the main bundle, the UI, the icons and nothing else into the app', async () => {
    const build = await runProcess('npm', ['run', 'build:main'], 120_000);
    expect(build.code, build.stderr).toBe(0);
    expect(existsSync('dist/renderer/index.html'), 'npm run build:renderer must run first').toBe(true);
    const stub = mkdtempSync(join(tmpdir(), 'tally-electron-stub-'));
    writeFileSync(join(stub, 'electron'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(stub, 'electron'), 0o755);
    const out = mkdtempSync(join(tmpdir(), 'tally-release-'));
    const result = await runProcess(
      'npx',
      [
        'electron-builder',
        '--config',
        'electron-builder.yml',
        '--linux',
        'dir',
        `-c.electronDist=${stub}`,
        `-c.directories.output=${out}`,
        '--publish',
        'never',
      ],
      240_000,
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const unpacked = join(out, 'linux-unpacked');
    expect(existsSync(join(unpacked, 'tally'))).toBe(true);
    const asar = require('@electron/asar') as { listPackage(path: string): string[] };
    const files = asar.listPackage(join(unpacked, 'resources', 'app.asar'));
    expect(files).toContain('/dist/main/main.cjs');
    expect(files).toContain('/dist/main/preload.cjs');
    expect(files).toContain('/dist/renderer/index.html');
    // The WebRTC send worker runs from outside the asar (main.ts maps its path there).
    expect(existsSync(join(unpacked, 'resources', 'app.asar.unpacked', 'dist', 'main', 'rtc-send-worker.cjs'))).toBe(
      true,
    );
    expect(files.some((f) => f.includes('node_modules'))).toBe(false);
    for (const icon of ['icon-256.png', 'tray-live.png', 'tray-idle.png', 'icon.ico', 'icon.icns']) {
      expect(existsSync(join(unpacked, 'resources', 'resources', 'icons', icon)), icon).toBe(true);
    }
    rmSync(out, { recursive: true, force: true });
  }, 300_000);
});
