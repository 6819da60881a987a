/** One forward destination as configured (`forward.destinations[]`). */
export interface ForwardDestination {
  name: string;
  url: string;
  key: string;
  streams: string[];
  enabled: boolean;
}

/** Where one stream goes for one destination, and how to show it without its key. */
export interface ForwardTarget {
  /** The URL dialled: placeholders replaced, the key appended. */
  url: string;
  /** The same with the stream key masked, for the API, the log and the app. */
  shownUrl: string;
  /** srt:// is accepted in the config but not forwarded yet. */
  supported: boolean;
}

const MASK = '••••';

/** Does `app/stream` match one of the destination's patterns (`app/stream` or `stream`, `*` any run)? */
export function destinationWants(destination: ForwardDestination, app: string, stream: string): boolean {
  if (!destination.enabled) return false;
  if (destination.streams.length === 0) return true;
  return destination.streams.some((pattern) => globMatch(pattern, pattern.includes('/') ? `${app}/${stream}` : stream));
}

/** The URL of one stream at one destination: `{app}`/`{stream}` replaced, then the key as last segment. */
export function forwardTarget(destination: ForwardDestination, app: string, stream: string): ForwardTarget {
  const base = destination.url.replaceAll('{app}', app).replaceAll('{stream}', stream);
  const key = destination.key;
  const join = (tail: string) => `${base.replace(/\/+$/, '')}/${tail}`;
  return {
    url: key ? join(key) : base,
    shownUrl: key ? join(MASK) : base,
    supported: /^rtmps?:\/\//i.test(base),
  };
}

function globMatch(pattern: string, value: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`).test(value);
}
