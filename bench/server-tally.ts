import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { parseConfig, TallyServer } from '../server-core/index.js';

/** Tally as the benchmark runs it: a child process on loopback, logs at warn to stderr. */
const { values } = parseArgs({
  options: {
    rtmp: { type: 'string' },
    http: { type: 'string' },
    api: { type: 'string' },
    /** SRT listener port (`--protocol srt`); without it no SRT listener runs. */
    srt: { type: 'string' },
    hls: { type: 'boolean', default: false },
  },
});
const server = new TallyServer({
  config: parseConfig({
    // TALLY_LOG_LEVEL=info shows why connections closed (the SRT bench's "peer silent" diagnosis).
    log: { level: (process.env.TALLY_LOG_LEVEL as 'warn' | undefined) ?? 'warn' },
    rtmp: { host: '127.0.0.1', port: Number(values.rtmp) },
    http: { host: '127.0.0.1', port: Number(values.http) },
    api: { host: '127.0.0.1', port: Number(values.api) },
    hls: { enabled: values.hls },
    // No SRT listener on a shared port unless the SRT bench asks for one; no WebRTC port either.
    srt: values.srt
      ? { enabled: true, host: '127.0.0.1', port: Number(values.srt), maxConnections: 2000 }
      : { enabled: false },
    rtc: { enabled: false },
    dash: { enabled: false },
    // TALLY_MERGE_MS overrides the merge window to explore the latency/CPU trade-off.
    hub: process.env.TALLY_MERGE_MS ? { mergeWindowMs: Number(process.env.TALLY_MERGE_MS) } : {},
  }),
  logDestination: pino.destination(2),
});
await server.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
