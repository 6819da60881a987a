import { PREVIEW_QUERY_FLAG } from '../hub/reader.js';

/**
 * The RTMP URL a job publishes to or reads from on this server's own listener, through the normal session path
 * (admission, hooks, the registry): the publish secret rides along as `?secret=` when one is set.
 */
export function loopbackRtmpUrl(base: string, app: string, stream: string, publishSecret?: string): string {
  const query = publishSecret ? `?secret=${encodeURIComponent(publishSecret)}` : '';
  return `${base}/${app}/${stream}${query}`;
}

/** The URL a job reads a stream from: flagged like the app's previews, so it is listed but never counted a viewer. */
export function loopbackReadUrl(base: string, app: string, stream: string): string {
  return `${base}/${app}/${stream}?${PREVIEW_QUERY_FLAG}=1`;
}

/** Where a listener bound to `host` is reached from this machine (any-address binds answer on loopback). */
export function loopbackHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
