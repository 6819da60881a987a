import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const LENGTH = 8;

/**
 * A short random id for one connection or job. It appears in every log line, in the API's client list and in
 * the UI so a person can follow one session through the log.
 */
export function newContextId(): string {
  const bytes = randomBytes(LENGTH);
  let id = '';
  for (let i = 0; i < LENGTH; i++) id += ALPHABET[bytes[i] % ALPHABET.length];
  return id;
}
