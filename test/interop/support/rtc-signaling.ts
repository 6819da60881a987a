import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { CreatedRtcSession, RtcTransport } from '../../../server-core/servers/rtc/index.js';

const MAX_OFFER = 64 * 1024;

/**
 * A tiny WHIP/WHEP stand-in for the transport tests: POST /whip or /whep with an SDP offer answers with
 * createSession's SDP (201) and hands the session to the test; GET / is a blank same-origin page.
 */
export class RtcSignaling {
  private server?: Server;
  port = 0;
  readonly created: CreatedRtcSession[] = [];

  constructor(
    private readonly transport: RtcTransport,
    private readonly onSession: (created: CreatedRtcSession, path: string) => void = () => {},
  ) {}

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<!doctype html><title>rtc</title>');
        return;
      }
      if (req.method !== 'POST' || (path !== '/whip' && path !== '/whep')) {
        res.writeHead(404);
        res.end();
        return;
      }
      try {
        const offer = await readBody(req);
        const created = this.transport.createSession({ offer, role: path === '/whip' ? 'whip' : 'whep' });
        this.created.push(created);
        this.onSession(created, path);
        res.writeHead(201, { 'Content-Type': 'application/sdp' });
        res.end(created.answer);
      } catch (error) {
        res.writeHead(400, { 'Content-Type': 'text/plain' });
        res.end(String(error));
      }
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const a = this.server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
  }

  url(path = '/'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  close(): void {
    this.server?.closeAllConnections();
    this.server?.close();
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_OFFER) {
        reject(new Error('offer too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
