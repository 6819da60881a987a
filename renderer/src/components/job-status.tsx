import type { JobView } from '../../../app/contract';
import { bytes } from '../format';

/** One line about an ffmpeg job: state, restarts, CPU and memory, the last error. */
export function JobStatus({ job }: { job: JobView | null }) {
  if (!job) return <span className="muted">stopped</span>;
  const parts = [job.state];
  if (job.runs > 1) parts.push(`${job.runs - 1} restarts`);
  if (job.fps !== undefined) parts.push(`${job.fps} fps`);
  if (job.cpuSeconds !== undefined) parts.push(`CPU ${job.cpuSeconds.toFixed(1)} s`);
  if (job.rssBytes !== undefined) parts.push(bytes(job.rssBytes));
  return (
    <span className="muted num">
      {parts.join(' · ')}
      {job.lastError && <span className="error"> — {job.lastError}</span>}
    </span>
  );
}
