import type { JobSnapshot } from '../../jobs/index.js';
import type { ApiRouter } from './api-router.js';

/** `GET /api/v1/jobs`: every ffmpeg job running now (state, progress, CPU and memory, last error). */
export function registerJobsApi(router: ApiRouter, list: () => JobSnapshot[]): void {
  router.add('GET', '/api/v1/jobs', async () => ({ jobs: list() }));
}
