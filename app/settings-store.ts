import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, parseConfig, type TallyConfig } from '../server-core/index.js';
import type { SettingsProblem } from './contract.js';

/**
 * The user's settings as a JSON file (the desktop's user-data folder, or the headless `-c` file). Only valid
 * settings are ever written; writes are atomic so a crash never leaves half a file.
 */
export class SettingsStore {
  constructor(readonly path: string | undefined) {}

  /** Missing file: defaults. Invalid file: a ConfigError naming the keys. */
  async load(): Promise<{ config: TallyConfig; raw: Record<string, unknown> }> {
    if (!this.path) return { config: parseConfig({}), raw: {} };
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { config: parseConfig({}), raw: {} };
      throw error;
    }
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(`settings file ${this.path} is not valid JSON: ${(error as Error).message}`, []);
    }
    return { config: parseConfig(raw), raw };
  }

  async save(raw: Record<string, unknown>): Promise<void> {
    if (!this.path) return;
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, `${JSON.stringify(raw, null, 2)}\n`);
    await rename(tmp, this.path);
  }
}

/** Validates settings without applying them. */
export function validate(raw: Record<string, unknown>): { config?: TallyConfig; problems: SettingsProblem[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { problems: [{ key: '', message: 'settings must be a JSON object of keys and values' }] };
  }
  try {
    return { config: parseConfig(raw), problems: [] };
  } catch (error) {
    if (error instanceof ConfigError) {
      return { problems: error.problems.map((p) => ({ key: p.key, message: p.message })) };
    }
    throw error;
  }
}
