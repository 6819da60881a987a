import type { JobSnapshot, LadderState, TallyServer, VirtualLiveState } from '../server-core/index.js';
import type { JobView, TranscodeView, VirtualLiveView } from './contract.js';

/** What the app shows of an ffmpeg job. */
export function jobView(job: JobSnapshot | undefined): JobView | null {
  if (!job) return null;
  return {
    state: job.state,
    runs: job.runs,
    cpuSeconds: job.cpuSeconds,
    rssBytes: job.rssBytes,
    lastError: job.lastError,
    fps: job.progress.fps,
    kbps: job.progress.kbps,
  };
}

export function virtualLiveViews(states: readonly VirtualLiveState[]): VirtualLiveView[] {
  return states.map(({ job, ...source }) => ({ ...source, job: jobView(job) }));
}

export function transcodeView(server: TallyServer | undefined, config: TallyServer['config']): TranscodeView {
  const ladders: LadderState[] = server?.transcode?.list() ?? [];
  return {
    profiles: config.transcode.profiles.map((p) => ({ name: p.name, renditions: p.renditions.map((r) => ({ ...r })) })),
    streams: config.transcode.streams.map((s) => ({ ...s })),
    ladders: ladders.map(({ job, ...ladder }) => ({ ...ladder, job: jobView(job) })),
  };
}
