import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, installLastResortHandler, streamUrls } from '../server-core/index.js';
import { Controller } from './controller.js';
import { SettingsStore } from './settings-store.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CONSOLE_DIR = join(ROOT, 'dist', 'renderer');

/** `npm run serve [-- -c tally.json]`: the media server plus its browser console, no window needed. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
      'no-console-build': { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run serve [-- -c tally.json]\n  Settings saved from the console go to that file (default ./tally.json).\n',
    );
    return;
  }
  if (!existsSync(join(CONSOLE_DIR, 'index.html')) && !values['no-console-build']) buildConsole();

  const store = new SettingsStore(resolve(values.config ?? 'tally.json'));
  const controller = new Controller({ store, consoleDir: CONSOLE_DIR });
  installLastResortHandler({ report: (error, origin) => controller.reportUncaught(error, origin) });
  await controller.init();
  const status = await controller.startServer();
  if (status.state !== 'running') throw new Error(status.error ?? 'the server did not start');
  printUrls(controller);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping (closing recordings)...\n`);
    controller.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGHUP', () => {
    controller.reload().then(
      (applied) => process.stdout.write(`SIGHUP: settings reloaded (${applied.join(', ') || 'nothing changed'})\n`),
      (error: Error) => process.stderr.write(`SIGHUP: settings not applied: ${error.message}\n`),
    );
  });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function buildConsole(): void {
  process.stdout.write('Building the browser console (first run only)...\n');
  const result = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.stdout.write('The console could not be built; the server runs without it.\n');
}

function printUrls(controller: Controller): void {
  const config = controller.currentConfig;
  const apiPort = controller.apiListener?.port ?? config.api.port;
  // The same list the console shows: each enabled listener and output names its own URLs.
  const urls = streamUrls(config, { ...controller.urlTarget('live', 'livestream'), host: () => '127.0.0.1' });
  const row = (title: string, url: string) => `  ${title.padEnd(24)}${url}`;
  const rtmpPublish = urls.find((u) => u.direction === 'publish' && u.protocol === 'rtmp');
  const lines = [
    '',
    'Tally is running.',
    row('Console:', `http://${config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host}:${apiPort}/console/`),
    ...(rtmpPublish
      ? [
          row(
            'OBS:',
            `Server ${rtmpPublish.url.slice(0, rtmpPublish.url.lastIndexOf('/livestream'))}   Stream Key ${rtmpPublish.url.slice(rtmpPublish.url.lastIndexOf('/livestream') + 1)}`,
          ),
          row('Publish (ffmpeg):', `ffmpeg -re -i in.mp4 -c copy -f flv ${rtmpPublish.url}`),
        ]
      : []),
    ...urls.filter((u) => u.direction === 'publish').map((u) => row(`Publish ${u.label}:`, u.url)),
    ...urls.filter((u) => u.direction === 'play').map((u) => row(`Play ${u.label}:`, u.url)),
    row('HTTP API:', `http://127.0.0.1:${apiPort}/api/v1/streams`),
    'Stop with Ctrl+C.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
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
