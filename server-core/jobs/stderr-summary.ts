/** How many of ffmpeg's last stderr lines a job keeps (the API shows them; the log gets them on a failure). */
export const STDERR_TAIL_LINES = 20;

/** Lines that tell a person something went wrong, as opposed to ffmpeg's banner and progress chatter. */
const PROBLEM = /error|invalid|fail|unable|could not|cannot|refused|denied|timed out|not found|no such/i;
const PROGRESS = /^\s*(frame|size)=|^\s*Press \[q\]/;

/** The tail of one ffmpeg run's stderr and its last line that reads like a problem. */
export class StderrSummary {
  private readonly tail: string[] = [];
  lastProblem?: string;

  add(line: string): boolean {
    const text = line.trimEnd();
    if (!text || PROGRESS.test(text)) return false;
    this.tail.push(text);
    if (this.tail.length > STDERR_TAIL_LINES) this.tail.shift();
    if (!PROBLEM.test(text)) return false;
    this.lastProblem = text;
    return true;
  }

  lines(): readonly string[] {
    return this.tail;
  }
}
