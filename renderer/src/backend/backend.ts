import type { TallyApi, TallyEvent, TallyMethod } from '../../../app/contract';

/** The UI's one interface to the appliance; IPC inside Electron, HTTP + WebSocket in the browser console. */
export interface Backend {
  call<M extends TallyMethod>(method: M, ...args: Parameters<TallyApi[M]>): ReturnType<TallyApi[M]>;
  onEvent(listener: (event: TallyEvent) => void): () => void;
  /** Connection state of the event channel (the console shows a banner while it reconnects). */
  onConnection(listener: (connected: boolean) => void): () => void;
  readonly kind: 'desktop' | 'console';
}
