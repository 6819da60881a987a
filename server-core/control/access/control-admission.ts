import type { Logger } from 'pino';
import type {
  Admission,
  AdmissionAction,
  AdmissionResult,
  ClientContext,
  DepartureAction,
} from '../../defs/admission.js';
import { sameSecret } from '../api/api-auth.js';
import type { HookEvent, HttpHooks } from '../hooks/http-hooks.js';
import type { IpRules } from './ip-rules.js';

export interface ControlAdmissionOptions {
  ipRules: IpRules;
  /** Oryx-style publish secret: publishers must add `?secret=<it>`; empty turns the check off. */
  publishSecret: string;
  /** Hosts web pages may play from (HTTP Referer); empty turns the check off. Native players send none. */
  refererHosts: string[];
  hooks: HttpHooks;
  logger: Logger;
  /** Counts each refusal (metrics). */
  onRefused?: (action: AdmissionAction, protocol: string, reason: RefusalKind) => void;
}

export type RefusalKind = 'ip' | 'secret' | 'referer' | 'hook';

const ASK_HOOK: Record<AdmissionAction, HookEvent> = { connect: 'on_connect', publish: 'on_publish', play: 'on_play' };
const TELL_HOOK: Record<DepartureAction, HookEvent> = { close: 'on_close', unpublish: 'on_unpublish', stop: 'on_stop' };

/** The control plane's admission: IP rules, publish secret, Referer check, then the on_* callbacks. */
export class ControlAdmission implements Admission {
  constructor(private options: ControlAdmissionOptions) {}

  /** Config reload: new rules apply to the next connect, publish or play. */
  update(change: Pick<ControlAdmissionOptions, 'ipRules' | 'publishSecret' | 'refererHosts'>): void {
    this.options = { ...this.options, ...change };
  }

  async check(action: AdmissionAction, client: ClientContext): Promise<AdmissionResult> {
    const refusal = this.localRefusal(action, client);
    if (refusal) return this.refuse(action, client, refusal.kind, refusal.reason);
    const hook = ASK_HOOK[action];
    if (this.options.hooks.has(hook)) {
      const verdict = await this.options.hooks.ask(hook, client);
      if (!verdict.allowed) return this.refuse(action, client, 'hook', verdict.reason);
    }
    return { allowed: true };
  }

  departed(action: DepartureAction, client: ClientContext): void {
    this.options.hooks.notify(TELL_HOOK[action], client);
  }

  private localRefusal(
    action: AdmissionAction,
    client: ClientContext,
  ): { kind: RefusalKind; reason: string } | undefined {
    if (action === 'connect') return undefined;
    const ipDenied = this.options.ipRules.denied(action, client.protocol, client.ip);
    if (ipDenied) return { kind: 'ip', reason: ipDenied };
    if (action === 'publish' && this.options.publishSecret) {
      const given = new URLSearchParams(client.param).get('secret');
      // Constant-time, like the API token: timing must not reveal how much of a guess was right.
      if (given === null || !sameSecret(given, this.options.publishSecret)) {
        return { kind: 'secret', reason: given ? 'wrong publish secret' : 'publish secret missing (add ?secret=...)' };
      }
    }
    if (action === 'play' && this.options.refererHosts.length > 0 && client.referer) {
      let host = '';
      try {
        host = new URL(client.referer).hostname;
      } catch {
        host = '';
      }
      const allowed = this.options.refererHosts.some((h) => host === h || host.endsWith(`.${h}`));
      if (!allowed) return { kind: 'referer', reason: `pages on ${host || 'an unknown site'} may not play` };
    }
    return undefined;
  }

  private refuse(action: AdmissionAction, client: ClientContext, kind: RefusalKind, reason: string): AdmissionResult {
    this.options.logger.warn(
      { cid: client.cid, ip: client.ip, proto: client.protocol, stream: `/${client.app}/${client.stream}`, kind },
      `${action} refused: ${reason}`,
    );
    this.options.onRefused?.(action, client.protocol, kind);
    return { allowed: false, reason };
  }
}
