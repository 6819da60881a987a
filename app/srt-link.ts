import type { TallyServer } from '../server-core/index.js';
import type { SrtLinkInfo } from './contract.js';

type SrtStats = ReturnType<NonNullable<TallyServer['srt']>['connectionStats']>;

/** The SRT link figures the stream page shows for an SRT client (undefined for other clients). */
export function srtLink(stats: SrtStats): SrtLinkInfo | undefined {
  if (!stats) return undefined;
  return {
    rttMs: Math.round(stats.rttMs * 10) / 10,
    latencyMs: stats.latencyMs,
    lossReports: stats.lossReports,
    retransmits: stats.retransmits,
    dropped: stats.dropped,
    kbps: Math.round(stats.kbps),
    encrypted: stats.encrypted,
  };
}
