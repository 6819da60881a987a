/** Streams are addressed as SRS does: vhost/app/stream. The default vhost is `__defaultVhost__`. */
export const DEFAULT_VHOST = '__defaultVhost__';

export interface StreamKey {
  readonly vhost: string;
  readonly app: string;
  readonly stream: string;
}

export function streamKeyId(key: StreamKey): string {
  return `${key.vhost}/${key.app}/${key.stream}`;
}

/** Display form users see in URLs and logs: `/app/stream`. */
export function streamPath(key: StreamKey): string {
  return `/${key.app}/${key.stream}`;
}

const NAME_PATTERN = /^[A-Za-z0-9_\-.~]+(\/[A-Za-z0-9_\-.~]+)*$/;
const MAX_NAME_LENGTH = 256;

/** App and stream names must be safe in URLs and file paths (DVR, HLS); `..` is refused. */
export function isValidStreamName(name: string): boolean {
  return (
    name.length > 0 && name.length <= MAX_NAME_LENGTH && NAME_PATTERN.test(name) && !name.split('/').includes('..')
  );
}
