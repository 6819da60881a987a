import { get } from 'node:http';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { RtmpClientSession } from '../server-core/protocol/rtmp/client-session.js';

/**
 * The load: N readers in their own process (so the server's CPU is measured alone). Prints one JSON line with each
 * reader's first-video time and bytes received during the measurement window.
 */
interface ReaderResult {
  connected: boolean;
  firstVideoMs: number | null;
  windowBytes: number;
  ended: boolean;
}

const { values } = parseArgs({
  options: {
    protocol: { type: 'string', default: 'flv' },
    url: { type: 'string' },
    count: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    duration: { type: 'string', default: '20' },
    ramp: { type: 'string', default: '2000' },
  },
});
const count = Number(values.count);
const warmupMs = Number(values.warmup) * 1000;
const durationMs = Number(values.duration) * 1000;
const rampMs = Number(values.ramp);
const url = values.url ?? '';

class BenchReader {
  result: ReaderResult = { connected: false, firstVideoMs: null, windowBytes: 0, ended: false };
  bytes = 0;
  private started = 0;
  private windowStart = 0;
  private close: () => void = () => {};

  open(): void {
    this.started = performance.now();
    if (values.protocol === 'rtmp') this.openRtmp();
    else this.openFlv();
  }

  markWindowStart(): void {
    this.windowStart = this.bytes;
  }

  finish(): ReaderResult {
    this.result.windowBytes = this.bytes - this.windowStart;
    this.close();
    return this.result;
  }

  private firstVideo(): void {
    if (this.result.firstVideoMs === null) this.result.firstVideoMs = performance.now() - this.started;
  }

  private openFlv(): void {
    let head: Buffer | undefined = Buffer.alloc(0);
    const req = get(url, { agent: false }, (res) => {
      this.result.connected = res.statusCode === 200;
      res.on('data', (chunk: Buffer) => {
        this.bytes += chunk.length;
        if (head) {
          head = Buffer.concat([head, chunk]);
          if (containsVideoTag(head)) {
            this.firstVideo();
            head = undefined;
          }
        }
      });
      res.on('end', () => {
        this.result.ended = true;
      });
      res.on('error', () => {});
    });
    req.on('error', () => {});
    this.close = () => req.destroy();
  }

  private openRtmp(): void {
    const session = new RtmpClientSession({ url, mode: 'play' });
    const socket = connect(session.target.port, session.target.host, () => socket.write(session.start(Date.now())));
    socket.on('data', (bytes: Buffer) => {
      this.bytes += bytes.length;
      for (const event of session.push(bytes, Date.now())) {
        if (event.type === 'send') socket.write(event.bytes);
        else if (event.type === 'ready') this.result.connected = true;
        else if (event.type === 'media' && event.message.typeId === 9) this.firstVideo();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.result.ended = true;
    });
    this.close = () => socket.destroy();
  }
}

/** Walks FLV tags from the start of the stream until a video tag is complete. */
function containsVideoTag(stream: Buffer): boolean {
  let pos = 13;
  while (pos + 11 <= stream.length) {
    const size = stream.readUIntBE(pos + 1, 3);
    if ((stream[pos] & 0x1f) === 9 && pos + 11 + size <= stream.length) return true;
    pos += 11 + size + 4;
  }
  return false;
}

async function main(): Promise<void> {
  const readers = Array.from({ length: count }, () => new BenchReader());
  // Connect in a ramp so the server sees a realistic arrival rate, not one SYN flood.
  for (let i = 0; i < readers.length; i++) {
    readers[i].open();
    if (rampMs > 0 && i % 50 === 49) await sleep((rampMs * 50) / count);
  }
  await sleep(warmupMs);
  for (const r of readers) r.markWindowStart();
  const windowStart = performance.now();
  process.stdout.write(`${JSON.stringify({ type: 'window-start' })}\n`);
  await sleep(durationMs);
  const windowMs = performance.now() - windowStart;
  const results = readers.map((r) => r.finish());
  process.stdout.write(`${JSON.stringify({ type: 'results', windowMs, results })}\n`);
  process.exit(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
void main();
