/**
 * How listeners ask whether a client may connect, publish or play, and report when it leaves. The control plane
 * implements it (publish secret, IP allow/deny lists, Referer check, on_* HTTP callbacks); listeners only call it.
 */
export type AdmissionAction = 'connect' | 'publish' | 'play';
export type DepartureAction = 'close' | 'unpublish' | 'stop';

export interface ClientContext {
  cid: string;
  ip: string;
  /** rtmp, http-flv, ws-flv, http-ts, hls, ... */
  protocol: string;
  vhost: string;
  app: string;
  stream: string;
  /** The query string the client sent with the stream (`secret=...`), without the `?`. */
  param: string;
  tcUrl: string;
  /** HTTP Referer (or RTMP pageUrl) for web-player checks. */
  referer?: string;
}

export type AdmissionResult = { allowed: true } | { allowed: false; reason: string };

export interface Admission {
  check(action: AdmissionAction, client: ClientContext): Promise<AdmissionResult>;
  /** Fire-and-forget notification; never blocks media. */
  departed(action: DepartureAction, client: ClientContext): void;
}

/** Lets everyone in: the default when nothing is configured, and for unit tests. */
export const openAdmission: Admission = {
  check: async () => ({ allowed: true }),
  departed: () => {},
};
