import { pino } from 'pino';
import { parseConfig, TallyServer } from '../../../server-core/index.js';

/** A server that records everything, for the kill -9 test: prints its RTMP port, then waits to be killed. */
const dir = process.argv[2];
const server = new TallyServer({
  config: parseConfig({
    rtmp: { host: '127.0.0.1', port: 0 },
    srt: { host: '127.0.0.1', port: 0 },
    rtc: { host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    api: { enabled: false },
    hls: { enabled: false },
    dvr: { dir, recordAll: true, minFreeMb: 0 },
    log: { level: 'warn' },
  }),
  logDestination: pino.destination(2),
});
await server.start();
process.stdout.write(`rtmp=${server.rtmp?.port}\n`);
