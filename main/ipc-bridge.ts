import { type BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron';
import { TALLY_METHODS, type TallyApi, type TallyEvent, type TallyMethod } from '../app/contract.js';
import { checkContractArguments } from '../app/contract-schemas.js';
import { CHANNEL_CALL, CHANNEL_EVENT } from './ipc-channels.js';

const METHODS = new Set<string>(TALLY_METHODS);
const MAX_ARGS = 4;

/**
 * Binds the app contract to IPC. Only the app's own window may call, only contract methods, only with a small
 * array of JSON-like arguments; the controller's own validation does the rest.
 */
export function bindContract(
  api: TallyApi & { onEvent(listener: (event: TallyEvent) => void): () => void },
  window: () => BrowserWindow | undefined,
  trustedUrl: (url: string) => boolean,
): () => void {
  ipcMain.handle(CHANNEL_CALL, async (event: IpcMainInvokeEvent, method: unknown, args: unknown) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (event.sender !== window()?.webContents || !trustedUrl(frameUrl)) {
      throw new Error('refused: not the Tally window');
    }
    if (typeof method !== 'string' || !METHODS.has(method)) throw new Error(`unknown method ${String(method)}`);
    if (!Array.isArray(args) || args.length > MAX_ARGS) throw new Error('arguments must be a short array');
    const checked = checkContractArguments(method as TallyMethod, args);
    const fn = api[method as TallyMethod] as (...a: unknown[]) => Promise<unknown>;
    return fn.apply(api, checked);
  });
  const unsubscribe = api.onEvent((event) => {
    const w = window();
    if (w && !w.isDestroyed()) w.webContents.send(CHANNEL_EVENT, event);
  });
  return () => {
    ipcMain.removeHandler(CHANNEL_CALL);
    unsubscribe();
  };
}
