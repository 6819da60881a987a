import { networkInterfaces } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile, parseConfig } from '../control/config/load-config.js';
import { TallyServer } from '../core.js';

/** Headless entry: `npm run serve [-- -c tally.json]`. Defaults need no file. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write('usage: npm run serve [-- -c tally.json]\n');
    return;
  }
  const config = values.config ? loadConfigFile(values.config) : parseConfig({});
  const server = new TallyServer({ config });
  await server.start();
  printUrls(server);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down');
    server.close().then(
      () => {
        server.logger.flush();
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function printUrls(server: TallyServer): void {
  const host = lanAddress() ?? '127.0.0.1';
  const lines = ['', 'Tally is running.'];
  if (server.rtmp) {
    lines.push(`  Publish (OBS: Server rtmp://${host}/live, Stream Key livestream):`);
    lines.push(`    rtmp://${host}:${server.rtmp.port}/live/livestream`);
    lines.push(`  Play RTMP:      rtmp://${host}:${server.rtmp.port}/live/livestream`);
  }
  if (server.http) {
    lines.push(`  Play HTTP-FLV:  http://${host}:${server.http.port}/live/livestream.flv`);
    lines.push(`  Play WS-FLV:    ws://${host}:${server.http.port}/live/livestream.flv`);
  }
  lines.push('Stop with Ctrl+C.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

function lanAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return undefined;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`tally: ${error.message}\n`);
  } else {
    const e = error as NodeJS.ErrnoException;
    const hint = e.code === 'EADDRINUSE' ? ' (another program uses that port: change it in the config)' : '';
    process.stderr.write(`tally: cannot start: ${e.message}${hint}\n`);
  }
  process.exit(1);
});
