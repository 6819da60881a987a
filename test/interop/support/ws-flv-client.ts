import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

/** Reads a WebSocket-FLV URL for `durationMs` and saves what arrived as an .flv file for ffprobe. */
export function readWebSocketFlv(url: string, durationMs: number): Promise<{ file: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const ws = new WebSocket(url);
    const finish = () => {
      const data = Buffer.concat(chunks);
      const file = join(tmpdir(), `tally-wsflv-${process.pid}-${Date.now()}.flv`);
      writeFileSync(file, data);
      resolve({ file, bytes: data.length });
    };
    ws.on('message', (data: Buffer) => chunks.push(data));
    ws.on('open', () => setTimeout(() => ws.close(), durationMs));
    ws.on('close', finish);
    ws.on('error', reject);
  });
}
