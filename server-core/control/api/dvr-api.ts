import { isValidStreamName } from '../../hub/stream-key.js';
import { API_CODES, ApiError } from './api-codes.js';
import type { ApiRouter } from './api-router.js';

/** What the API needs of the DVR (outputs/dvr implements it; core.ts wires them, control does not import outputs). */
export interface DvrControl {
  setRecording(app: string, stream: string, enabled: boolean): Promise<object>;
  recordings(): Promise<
    { app: string; stream: string; file: string; start: number; durationMs: number; size: number; recording: boolean }[]
  >;
  states(): object[];
}

/** The DVR's runtime control: toggle recording per stream, list recordings and recording errors. */
export function registerDvrApi(router: ApiRouter, dvr: DvrControl): void {
  router.add('POST', '/api/v1/dvr', async ({ body }) => {
    const input = body as { app?: unknown; stream?: unknown; enabled?: unknown } | undefined;
    if (
      !input ||
      typeof input.app !== 'string' ||
      typeof input.stream !== 'string' ||
      typeof input.enabled !== 'boolean'
    ) {
      throw new ApiError(
        API_CODES.BAD_REQUEST,
        400,
        'expected {"app": string, "stream": string, "enabled": true|false}',
      );
    }
    for (const name of [input.app, input.stream]) {
      if (!isValidStreamName(name)) {
        throw new ApiError(
          API_CODES.BAD_REQUEST,
          400,
          `invalid app or stream name "${name.slice(0, 64)}": use 1-256 letters, digits and _ - . ~ /`,
        );
      }
    }
    const state = await dvr.setRecording(input.app, input.stream, input.enabled);
    return { data: state };
  });
  router.add('GET', '/api/v1/dvr', async () => {
    const files = await dvr.recordings();
    return {
      recordings: files.map((f) => ({
        app: f.app,
        stream: f.stream,
        file: f.file,
        start: f.start,
        duration: f.durationMs / 1000,
        size: f.size,
        recording: f.recording,
      })),
      streams: dvr.states(),
    };
  });
}
