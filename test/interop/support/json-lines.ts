import type { Readable } from 'node:stream';

/** Calls onLine with each JSON object line a child process prints (other lines are skipped). */
export function onJsonLines<T>(stream: Readable | null | undefined, onLine: (message: T) => void): void {
  let buffered = '';
  stream?.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{"')) onLine(JSON.parse(line) as T);
  });
}
