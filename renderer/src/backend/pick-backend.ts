import type { Backend } from './backend';
import { httpBackend } from './http-backend';
import { ipcBackend } from './ipc-backend';

/** Electron's preload defines window.tally; anywhere else the UI is the browser console. */
export function pickBackend(): Backend {
  return window.tally ? ipcBackend(window.tally) : httpBackend();
}
