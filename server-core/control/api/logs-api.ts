import type { LogRing } from '../logging/log-ring.js';
import type { ApiRouter } from './api-router.js';

const MAX_LIMIT = 10_000;

/** GET /api/v1/logs?cid=&since=&level=&limit=: the in-memory log, newest last, searchable by context id. */
export function registerLogsApi(router: ApiRouter, ring: LogRing): void {
  router.add('GET', '/api/v1/logs', ({ query }) => {
    const number = (name: string) => {
      const value = Number(query.get(name));
      return query.has(name) && Number.isFinite(value) ? value : undefined;
    };
    const limit = number('limit');
    return {
      logs: ring.query({
        cid: query.get('cid') ?? undefined,
        since: number('since'),
        level: query.get('level') ?? undefined,
        limit: limit === undefined ? undefined : Math.max(1, Math.min(MAX_LIMIT, Math.floor(limit))),
      }),
    };
  });
}
