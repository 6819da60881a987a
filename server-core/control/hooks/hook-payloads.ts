import type { ClientContext } from '../../defs/admission.js';
import type { StreamKey } from '../../hub/stream-key.js';
import type { StreamRegistry } from '../../hub/stream-registry.js';
import type { HttpHooks } from './http-hooks.js';

/** The publisher of a stream as SRS's callbacks describe it (empty fields once the stream is gone). */
function publisherContext(registry: StreamRegistry, key: StreamKey): ClientContext {
  const source = registry.find(key);
  return {
    cid: source?.publisher.cid ?? '',
    ip: source?.publisher.ip ?? '',
    protocol: source?.publisher.protocol ?? '',
    vhost: key.vhost,
    app: key.app,
    stream: key.stream,
    param: source?.publisher.query ?? '',
    tcUrl: source?.publisher.tcUrl ?? '',
  };
}

/** on_hls with SRS's fields: a segment is ready (`diskPath`: where hls.path mirrors it, if set). */
export function notifyHlsSegment(
  hooks: HttpHooks,
  registry: StreamRegistry,
  key: StreamKey,
  segment: { name: string; durationMs: number; sequence: number },
  diskPath: string,
): void {
  if (!hooks.has('on_hls')) return;
  hooks.notify('on_hls', publisherContext(registry, key), {
    duration: segment.durationMs / 1000,
    cwd: process.cwd(),
    file: diskPath ? `${diskPath}/${key.app}/${segment.name}` : '',
    url: `/${key.app}/${segment.name}`,
    m3u8: diskPath ? `${diskPath}/${key.app}/${key.stream}.m3u8` : '',
    m3u8_url: `/${key.app}/${key.stream}.m3u8`,
    seq_no: segment.sequence,
  });
}

/** on_dvr with SRS's fields: a recording file was closed. */
export function notifyDvrFile(
  hooks: HttpHooks,
  registry: StreamRegistry,
  vhost: string,
  file: { app: string; stream: string; file: string; durationMs: number; size: number },
): void {
  hooks.notify('on_dvr', publisherContext(registry, { vhost, app: file.app, stream: file.stream }), {
    cwd: process.cwd(),
    file: file.file,
    duration: file.durationMs / 1000,
    size: file.size,
  });
}
