import type { StreamKey } from '../../hub/stream-key.js';

/**
 * SRS's DVR path variables: [vhost] [app] [stream] [timestamp] (ms) and Go-style date parts [2006] [01] [02]
 * [15] [04] [05] [999] (milliseconds), in local time like SRS.
 */
export function expandPathTemplate(template: string, key: StreamKey, at: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const values: Record<string, string> = {
    vhost: key.vhost,
    app: key.app,
    stream: key.stream,
    timestamp: String(at.getTime()),
    '2006': String(at.getFullYear()),
    '01': pad(at.getMonth() + 1),
    '02': pad(at.getDate()),
    '15': pad(at.getHours()),
    '04': pad(at.getMinutes()),
    '05': pad(at.getSeconds()),
    '999': pad(at.getMilliseconds(), 3),
  };
  return template.replace(/\[([a-z0-9]+)\]/g, (whole, name: string) => values[name] ?? whole);
}
