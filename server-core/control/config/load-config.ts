import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { configSchema, isSecretConfigKey, type TallyConfig } from './schema.js';

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: ConfigProblem[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface ConfigProblem {
  /** Dotted key, e.g. `rtmp.port`. */
  key: string;
  value: unknown;
  message: string;
}

/** Validates a config object; every problem names the key, the value and what is allowed. */
export function parseConfig(input: unknown): TallyConfig {
  const result = configSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describeIssue(issue, input));
  const lines = problems.map(
    (p) => `  ${p.key}: ${p.message}${p.value === undefined ? '' : ` (got ${JSON.stringify(p.value)})`}`,
  );
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`, problems);
}

export function loadConfigFile(path: string): TallyConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`, []);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(error as Error).message}`, []);
  }
  return parseConfig(json);
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): ConfigProblem {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => [...path, k].join('.'));
    return { key: keys.join(', '), value: undefined, message: 'unknown key (check the spelling)' };
  }
  const key = path.join('.') || '(root)';
  const value = isSecretConfigKey(key) ? undefined : valueAt(input, path);
  return { key, value, message: issue.message };
}

function valueAt(input: unknown, path: string[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
