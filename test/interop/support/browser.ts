import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, headless, with the flags this machine needs (no background network, no sandbox as root). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      ...extraArgs,
    ],
  });
}

/** Serves test pages and player libraries from node_modules, on loopback, from the test itself. */
export class PageServer {
  private server?: Server;
  port = 0;
  private readonly pages = new Map<string, string>();
  private readonly scripts: Record<string, string> = {
    '/hls.js': 'node_modules/hls.js/dist/hls.min.js',
    '/dash.js': 'node_modules/dashjs/dist/modern/umd/dash.all.min.js',
    '/mpegts.js': 'node_modules/mpegts.js/dist/mpegts.js',
  };

  addPage(path: string, html: string): void {
    this.pages.set(path, html);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const page = this.pages.get(path);
      if (page) {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(page);
        return;
      }
      const script = this.scripts[path];
      if (script) {
        res.writeHead(200, { 'Content-Type': 'text/javascript' });
        res.end(readFileSync(join(process.cwd(), script)));
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  close(): void {
    this.server?.closeAllConnections();
    this.server?.close();
  }
}
