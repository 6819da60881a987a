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
    /** HLS over fMP4 with LL-HLS parts beside the TS HLS (`--hls` too); `--part` seconds per part. */
    'll-hls': { type: 'boolean', default: false },
    part: { type: 'string', default: '0.2' },
    /** WebRTC media port (WHEP players, signalling on the API port); without it no WebRTC listener runs. */
    rtc: { type: 'string' },
  },
});
const server = new TallyServer({
  config: parseConfig({
    // TALLY_LOG_LEVEL=info shows why connections closed (the SRT bench's "peer silent" diagnosis).
    log: { level: (process.env.TALLY_LOG_LEVEL as 'warn' | undefined) ?? 'warn' },
    rtmp: { host: '127.0.0.1', port: Number(values.rtmp) },
    http: { host: '127.0.0.1', port: Number(values.http) },
    api: { host: '127.0.0.1', port: Number(values.api) },
    hls: { enabled: values.hls, fmp4: values['ll-hls'], partDuration: Number(values.part) },
    // No SRT or WebRTC listener on a shared port unless a bench asks for one.
    srt: values.srt
      ? { enabled: true, host: '127.0.0.1', port: Number(values.srt), maxConnections: 2000 }
      : { enabled: false },
    rtc: values.rtc ? { enabled: true, host: '127.0.0.1', port: Number(values.rtc) } : { enabled: false },
    dash: { enabled: false },
    // TALLY_MERGE_MS overrides the merge window to explore the latency/CPU trade-off.
    hub: process.env.TALLY_MERGE_MS ? { mergeWindowMs: Number(process.env.TALLY_MERGE_MS) } : {},
  }),
  logDestination: pino.destination(2),
});
await server.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
