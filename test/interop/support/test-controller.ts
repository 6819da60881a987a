import { join } from 'node:path';
import { pino } from 'pino';
import { Controller } from '../../../app/controller.js';
import { SettingsStore } from '../../../app/settings-store.js';

/**
 * The appliance controller as the app runs it, with settings on loopback and free ports, recordings under
 * `dir/recordings`, and its log in `dir/server.log`.
 */
export async function startTestController(
  dir: string,
  options: { console?: boolean; settings?: Record<string, unknown> } = {},
): Promise<{ controller: Controller; recordings: string }> {
  const recordings = join(dir, 'recordings');
  const store = new SettingsStore(join(dir, 'settings.json'));
  await store.save({
    rtmp: { host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    api: { host: '127.0.0.1', port: 0 },
    // Every listener on loopback and a free port: tests never bind a fixed port another run may hold.
    srt: { host: '127.0.0.1', port: 0 },
    rtc: { host: '127.0.0.1', port: 0 },
    dvr: { dir: recordings, minFreeMb: 0 },
    ...options.settings,
  });
  const controller = new Controller({
    store,
    consoleDir: options.console ? join(process.cwd(), 'dist', 'renderer') : undefined,
    logDestination: pino.destination({ dest: join(dir, 'server.log'), sync: true }),
  });
  await controller.init();
  return { controller, recordings };
}
