import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where the ffmpeg in use came from: the `ffmpeg.path` setting, the installer's copy, or the system's. */
export type FfmpegSource = 'configured' | 'bundled' | 'system';

export interface FfmpegBinary {
  path: string;
  /** The version ffmpeg reports (`5.1.6-0+deb12u1`). */
  version: string;
  source: FfmpegSource;
}

/** What to try, in order: a configured path, then each bundled folder, then `ffmpeg` on the PATH. */
export interface FfmpegSearch {
  configuredPath?: string;
  bundledDirs?: readonly string[];
}

const PROBE_TIMEOUT_MS = 5000;

/** The ffmpeg Tally will run, or a sentence saying why there is none (shown in the log, the API and the app). */
export async function findFfmpeg(search: FfmpegSearch): Promise<FfmpegBinary | { problem: string }> {
  const executable = process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
  const candidates: { path: string; source: FfmpegSource }[] = [];
  if (search.configuredPath) candidates.push({ path: search.configuredPath, source: 'configured' });
  for (const dir of search.bundledDirs ?? []) {
    const path = join(dir, executable);
    if (existsSync(path)) candidates.push({ path, source: 'bundled' });
  }
  candidates.push({ path: executable, source: 'system' });
  const failures: string[] = [];
  for (const candidate of candidates) {
    const version = await probeVersion(candidate.path);
    if (typeof version === 'string') return { ...candidate, version };
    failures.push(`${candidate.path}: ${version.problem}`);
  }
  return {
    problem: `ffmpeg not found (${failures.join('; ')}): install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg) or set ffmpeg.path`,
  };
}

function probeVersion(path: string): Promise<string | { problem: string }> {
  return new Promise((resolve) => {
    execFile(path, ['-hide_banner', '-version'], { timeout: PROBE_TIMEOUT_MS }, (error, stdout) => {
      if (error) {
        resolve({ problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such program' : error.message });
        return;
      }
      const match = /ffmpeg version (\S+)/.exec(stdout);
      resolve(match ? match[1] : { problem: 'not an ffmpeg (no version line)' });
    });
  });
}
