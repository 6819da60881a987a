import type { StreamRegistry } from '../../hub/stream-registry.js';
import { ApiBinary } from './api-binary.js';
import { API_CODES, ApiError } from './api-codes.js';
import type { ApiRouter } from './api-router.js';

/** What the API needs of virtual live, the ABR ladders and thumbnails (core.ts wires them to server-core/transcode). */
export interface FfmpegFeaturesControl {
  virtualLive(): { name: string; running: boolean }[];
  startVirtualLive(name: string): Promise<void>;
  stopVirtualLive(name: string): boolean;
  ladders(): object[];
  profiles(): object;
  /** A JPEG, or why there is none; undefined when thumbnails are off. */
  thumbnail(app: string, stream: string): Promise<Buffer | string> | undefined;
}

const THUMBNAIL_MISSES: Record<string, [number, string]> = {
  'not-live': [404, 'the stream is not live or has no video'],
  busy: [503, 'too many streams make thumbnails now (thumbnails.maxStreams)'],
  'no-rtmp': [503, 'thumbnails read the stream over RTMP: turn the RTMP listener on'],
  timeout: [503, 'no snapshot yet (the stream has not sent a keyframe in time): try again'],
};

/**
 * Virtual live (`/api/v1/virtual-live`, start/stop by name), transcode profiles and running ladders
 * (`/api/v1/transcode`), and a stream's JPEG snapshot (`/api/v1/streams/{id}/thumbnail`).
 */
export function registerTranscodeApi(
  router: ApiRouter,
  registry: StreamRegistry,
  control: FfmpegFeaturesControl,
): void {
  const known = (name: string) => {
    if (!control.virtualLive().some((s) => s.name === name)) {
      throw new ApiError(
        API_CODES.NOT_FOUND,
        404,
        `no virtual-live source "${name.slice(0, 64)}" (virtualLive.sources)`,
      );
    }
  };
  router.add('GET', '/api/v1/virtual-live', () => ({ sources: control.virtualLive() }));
  router.add('POST', '/api/v1/virtual-live/:name/start', async ({ params }) => {
    known(params.name);
    try {
      await control.startVirtualLive(params.name);
    } catch (error) {
      throw new ApiError(API_CODES.CONFLICT, 409, (error as Error).message);
    }
    return { sources: control.virtualLive() };
  });
  router.add('POST', '/api/v1/virtual-live/:name/stop', ({ params }) => {
    known(params.name);
    control.stopVirtualLive(params.name);
    return { sources: control.virtualLive() };
  });
  router.add('GET', '/api/v1/transcode', () => ({ ...control.profiles(), ladders: control.ladders() }));
  router.add('GET', '/api/v1/streams/:id/thumbnail', async ({ params }) => {
    const source = registry.list().find((s) => s.streamId === params.id);
    if (!source) throw new ApiError(API_CODES.STREAM_NOT_FOUND, 404, `no stream ${params.id.slice(0, 64)}`);
    const result = control.thumbnail(source.key.app, source.key.stream);
    if (!result) throw new ApiError(API_CODES.CONFLICT, 409, 'thumbnails are off (thumbnails.enabled)');
    const frame = await result;
    if (Buffer.isBuffer(frame)) return new ApiBinary('image/jpeg', frame);
    const [status, message] = THUMBNAIL_MISSES[frame] ?? [503, frame];
    throw new ApiError(status === 404 ? API_CODES.STREAM_NOT_FOUND : API_CODES.INTERNAL, status, message);
  });
}
