import type { TallyEvent } from '../../../app/contract';
import type { Backend } from './backend';

interface TallyBridge {
  call(method: string, args: unknown[]): Promise<unknown>;
  onEvent(listener: (event: unknown) => void): () => void;
}

declare global {
  interface Window {
    tally?: TallyBridge;
  }
}

/** Electron: the preload's `window.tally` bridge. */
export function ipcBackend(bridge: TallyBridge): Backend {
  return {
    kind: 'desktop',
    call: ((method: string, ...args: unknown[]) => bridge.call(method, args)) as Backend['call'],
    onEvent: (listener) => bridge.onEvent((event) => listener(event as TallyEvent)),
    onConnection: (listener) => {
      listener(true);
      return () => {};
    },
  };
}
