import type { TallyEvent } from '../../../app/contract';
import type { Backend } from './backend';

const TOKEN_KEY = 'tally.token';
/** The server's CONSOLE_SUBPROTOCOL and TOKEN_SUBPROTOCOL_PREFIX (server-core/control/api/api-auth.ts). */
const CONSOLE_SUBPROTOCOL = 'tally.v1';
const TOKEN_SUBPROTOCOL_PREFIX = 'tally.token.';

/** A WebSocket cannot carry an Authorization header: the token travels as a subprotocol, base64url-encoded. */
function tokenSubprotocol(token: string): string {
  const bytes = new TextEncoder().encode(token);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return TOKEN_SUBPROTOCOL_PREFIX + btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The browser console: POST /console/api/<method> with the arguments as a JSON array, events over a WebSocket at
 * /console/events that reconnects with backoff. A token (from ?token= or a prompt after a 401) is kept per tab.
 */
export function httpBackend(): Backend {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep the token out of the address bar and history once it is stored.
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
  }
  const token = () => sessionStorage.getItem(TOKEN_KEY) ?? '';
  const base = new URL('..', new URL('.', location.href)).href.replace(/\/$/, '');
  const listeners = new Set<(event: TallyEvent) => void>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let socket: WebSocket | undefined;
  let delay = 500;

  const connect = () => {
    const wsBase = base.replace(/^http/, 'ws');
    const protocols = token() ? [CONSOLE_SUBPROTOCOL, tokenSubprotocol(token())] : [CONSOLE_SUBPROTOCOL];
    socket = new WebSocket(`${wsBase}/console/events`, protocols);
    socket.onopen = () => {
      delay = 500;
      for (const l of connectionListeners) l(true);
    };
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as TallyEvent;
      for (const l of listeners) l(event);
    };
    socket.onclose = () => {
      for (const l of connectionListeners) l(false);
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10_000);
    };
  };

  const call = async (method: string, ...args: unknown[]): Promise<unknown> => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (token()) headers.Authorization = `Bearer ${token()}`;
      const response = await fetch(`${base}/console/api/${method}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(args),
      });
      if (response.status === 401 && attempt === 0) {
        const entered = window.prompt('This Tally server needs its API token:');
        if (!entered) throw new Error('authentication required');
        sessionStorage.setItem(TOKEN_KEY, entered);
        socket?.close();
        continue;
      }
      const reply = (await response.json()) as { ok: boolean; result?: unknown; error?: string };
      if (!reply.ok) throw new Error(reply.error ?? 'request failed');
      return reply.result;
    }
    throw new Error('authentication required');
  };

  connect();
  return {
    kind: 'console',
    call: call as Backend['call'],
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnection: (listener) => {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}
