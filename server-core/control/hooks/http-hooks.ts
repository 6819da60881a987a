import type { Logger } from 'pino';
import type { AdmissionResult, ClientContext } from '../../defs/admission.js';

export const HOOK_EVENTS = [
  'on_connect',
  'on_close',
  'on_publish',
  'on_unpublish',
  'on_play',
  'on_stop',
  'on_dvr',
  'on_hls',
] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export interface HttpHooksOptions {
  urls: Partial<Record<HookEvent, string[]>>;
  timeoutMs: number;
  /** Extra attempts for fire-and-forget events. */
  retries: number;
  serverId: string;
  serviceId: string;
  logger: Logger;
}

const RETRY_BASE_DELAY_MS = 500;

/**
 * SRS-style HTTP callbacks: a JSON POST per event to every configured URL. on_connect, on_publish and on_play
 * are questions: every URL must answer HTTP 200 with `0` or `{"code":0}` in time, or the client is refused.
 * The rest are notifications, retried a few times in the background; they never block media.
 */
export class HttpHooks {
  constructor(private options: HttpHooksOptions) {}

  /** Config reload: new URLs and timeouts apply to the next callback. */
  update(change: Pick<HttpHooksOptions, 'urls' | 'timeoutMs' | 'retries'>): void {
    this.options = { ...this.options, ...change };
  }

  has(event: HookEvent): boolean {
    return (this.options.urls[event]?.length ?? 0) > 0;
  }

  /** Asks every URL of a blocking event; the first refusal, error or timeout refuses. */
  async ask(event: HookEvent, client: ClientContext): Promise<AdmissionResult> {
    const body = this.payload(event, client);
    for (const url of this.options.urls[event] ?? []) {
      const verdict = await this.post(url, body);
      if (!verdict.ok) return { allowed: false, reason: `${event} hook ${url} refused: ${verdict.why}` };
    }
    return { allowed: true };
  }

  /** Notifies every URL of an event; extra fields (file, duration...) are merged into the payload. */
  notify(event: HookEvent, client: ClientContext, extra: Record<string, unknown> = {}): void {
    const body = { ...this.payload(event, client), ...extra };
    for (const url of this.options.urls[event] ?? []) void this.deliver(url, body, 0);
  }

  private async deliver(url: string, body: Record<string, unknown>, attempt: number): Promise<void> {
    const verdict = await this.post(url, body);
    if (verdict.ok) return;
    if (attempt >= this.options.retries) {
      this.options.logger.warn({ cid: body.client_id, url, why: verdict.why }, `${String(body.action)} hook failed`);
      return;
    }
    const delay = RETRY_BASE_DELAY_MS * 2 ** attempt;
    await new Promise((resolve) => setTimeout(resolve, delay).unref());
    await this.deliver(url, body, attempt + 1);
  }

  private async post(url: string, body: Record<string, unknown>): Promise<{ ok: true } | { ok: false; why: string }> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = (await response.text()).trim();
      if (response.status !== 200) return { ok: false, why: `HTTP ${response.status}` };
      if (text === '0') return { ok: true };
      try {
        const json = JSON.parse(text) as { code?: unknown };
        if (json.code === 0) return { ok: true };
        return { ok: false, why: `code ${String(json.code)}` };
      } catch {
        return { ok: false, why: `reply is neither 0 nor {"code":0}: ${text.slice(0, 80)}` };
      }
    } catch (error) {
      const e = error as Error;
      return { ok: false, why: e.name === 'TimeoutError' ? `no reply within ${this.options.timeoutMs} ms` : e.message };
    }
  }

  private payload(event: HookEvent, client: ClientContext): Record<string, unknown> {
    return {
      server_id: this.options.serverId,
      service_id: this.options.serviceId,
      action: event,
      client_id: client.cid,
      ip: client.ip,
      vhost: client.vhost,
      app: client.app,
      stream: client.stream,
      param: client.param ? `?${client.param}` : '',
      tcUrl: client.tcUrl,
      pageUrl: client.referer ?? '',
      stream_url: client.stream ? `/${client.app}/${client.stream}` : '',
      stream_id: '',
      protocol: client.protocol,
    };
  }
}
