import { join } from 'node:path';
import { app, BrowserWindow, shell } from 'electron';
import { Controller } from '../app/controller.js';
import { SettingsStore } from '../app/settings-store.js';
import { installLastResortHandler } from '../server-core/index.js';
import { bindContract } from './ipc-bridge.js';
import { lockDown } from './security.js';
import { AppTray } from './tray.js';

/**
 * The Electron shell: one window, a tray, the server-core running in-process through the app controller. Closing
 * the window keeps serving from the tray; Quit stops the server cleanly (recordings are closed first).
 */
declare const __dirname: string;
const RENDERER_INDEX = join(__dirname, '..', 'renderer', 'index.html');
const RESOURCES = app.isPackaged ? join(process.resourcesPath, 'resources') : join(__dirname, '..', '..', 'resources');

let window: BrowserWindow | undefined;
let tray: AppTray | undefined;
let quitting = false;

/** electron-builder's `${os}` names. */
const BUILDER_OS: Record<string, string> = { darwin: 'mac', win32: 'win', linux: 'linux' };
/** The ffmpeg the installer ships (electron-builder extraResources from vendor/ffmpeg/<os>-<arch>, see README). */
const FFMPEG_DIR = app.isPackaged
  ? join(process.resourcesPath, 'ffmpeg')
  : join(
      __dirname,
      '..',
      '..',
      'vendor',
      'ffmpeg',
      `${BUILDER_OS[process.platform] ?? process.platform}-${process.arch}`,
    );

/** The WebRTC send worker, bundled beside main.cjs and unpacked from the asar (electron-builder asarUnpack). */
const RTC_SEND_WORKER = join(__dirname, 'rtc-send-worker.cjs').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');

const controller = new Controller({
  store: new SettingsStore(join(app.getPath('userData'), 'settings.json')),
  ffmpegDirs: [FFMPEG_DIR],
  rtcSendWorkerScript: RTC_SEND_WORKER,
  showInFolder: async (file) => {
    shell.showItemInFolder(file);
    return true;
  },
});

const isAppUrl = (url: string) =>
  url.startsWith('file://') && decodeURIComponent(new URL(url).pathname).endsWith('/renderer/index.html');

function openWindow(): void {
  if (window && !window.isDestroyed()) {
    window.show();
    window.focus();
    return;
  }
  window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    title: 'Tally',
    icon: join(RESOURCES, 'icons', 'icon-256.png'),
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  lockDown(window, isAppUrl);
  window.once('ready-to-show', () => window?.show());
  window.on('close', (event) => {
    if (!quitting) {
      // Keep serving from the tray.
      event.preventDefault();
      window?.hide();
    }
  });
  void window.loadFile(RENDERER_INDEX);
}

async function quit(): Promise<void> {
  if (quitting) return;
  quitting = true;
  await controller.close();
  tray?.destroy();
  app.exit(0);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => openWindow());
  app.on('window-all-closed', () => {
    // The tray keeps the app (and the server) alive.
  });
  app.on('before-quit', (event) => {
    if (!quitting) {
      event.preventDefault();
      void quit();
    }
  });
  installLastResortHandler({ report: (error, origin) => controller.reportUncaught(error, origin) });
  void app.whenReady().then(async () => {
    await controller.init();
    bindContract(controller, () => window, isAppUrl);
    tray = new AppTray(RESOURCES, {
      start: () => void controller.startServer(),
      stop: () => void controller.stopServer(),
      open: openWindow,
      quit: () => void quit(),
    });
    controller.onEvent((event) => {
      if (event.type === 'status') tray?.update(event.status.state);
    });
    openWindow();
    await controller.startServer();
  });
}
