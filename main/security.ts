import { type BrowserWindow, session, shell } from 'electron';

/** Hosts the app may open in the OS browser (docs, project page); everything else stays closed. */
const EXTERNAL_ALLOWLIST = new Set(['obsproject.com', 'ossrs.io', 'github.com']);

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: http: https:",
  "connect-src 'self' http: https: ws: wss:",
].join('; ');

/** A strict CSP on every response, and no navigation or new windows except allowlisted links in the OS browser. */
export function lockDown(window: BrowserWindow, isAppUrl: (url: string) => boolean): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(permission === 'clipboard-sanitized-write'),
  );
  window.webContents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      openIfAllowed(url);
    }
  });
}

function openIfAllowed(url: string): void {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:' && EXTERNAL_ALLOWLIST.has(parsed.hostname)) void shell.openExternal(url);
  } catch {
    // Not a URL: nothing to open.
  }
}
