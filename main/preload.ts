import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { CHANNEL_CALL, CHANNEL_EVENT } from './ipc-channels.js';

/**
 * The renderer's only door to the appliance: `window.tally.call(method, args)` and `onEvent`. No raw ipcRenderer
 * crosses the bridge; main validates the method name and the sender.
 */
contextBridge.exposeInMainWorld('tally', {
  call: (method: string, args: unknown[]): Promise<unknown> => ipcRenderer.invoke(CHANNEL_CALL, method, args),
  onEvent: (listener: (event: unknown) => void): (() => void) => {
    const handler = (_e: IpcRendererEvent, event: unknown) => listener(event);
    ipcRenderer.on(CHANNEL_EVENT, handler);
    return () => ipcRenderer.removeListener(CHANNEL_EVENT, handler);
  },
});
