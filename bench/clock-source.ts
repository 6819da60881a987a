import { spawn } from 'node:child_process';

/** The picture: a grid of black/white cells, one per bit of the wall-clock time (ms, low 32 bits) it was sent. */
export const CLOCK_FRAME = { width: 640, height: 360, fps: 30, columns: 8, rows: 4 } as const;

/** Fills a gray frame with `stamp` (32 bits, most significant first, row by row). */
export function drawClockFrame(frame: Buffer, stamp: number): void {
  const { width, height, columns, rows } = CLOCK_FRAME;
  const cellW = width / columns;
  const cellH = height / rows;
  for (let bit = 0; bit < 32; bit++) {
    const on = ((stamp >>> (31 - bit)) & 1) === 1;
    const x0 = (bit % columns) * cellW;
    const y0 = Math.floor(bit / columns) * cellH;
    for (let y = y0; y < y0 + cellH; y++) frame.fill(on ? 255 : 0, y * width + x0, y * width + x0 + cellW);
  }
}

export interface ClockSource {
  stop(): Promise<void>;
}

/**
 * Publishes a live H.264 stream (x264 zerolatency, 1 s GOP, no audio) over RTMP whose every frame shows the
 * wall-clock time it was handed to the encoder. Frames are written on a drift-corrected 30 fps schedule, so
 * media time keeps pace with real time.
 */
export function startClockSource(rtmpUrl: string): ClockSource {
  const { width, height, fps } = CLOCK_FRAME;
  // biome-ignore format: ffmpeg arguments read best as flag/value pairs
  const args = [
    '-hide_banner', '-loglevel', 'error',
    '-f', 'rawvideo', '-pix_fmt', 'gray', '-s', `${width}x${height}`, '-r', String(fps), '-i', 'pipe:0',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
    '-g', String(fps), '-keyint_min', String(fps), '-sc_threshold', '0', '-b:v', '1000k',
    '-flush_packets', '1', '-f', 'flv', rtmpUrl,
  ];
  const ffmpeg = spawn('ffmpeg', args, { stdio: ['pipe', 'ignore', 'inherit'] });
  ffmpeg.stdin.on('error', () => {});
  const frame = Buffer.alloc(width * height);
  const start = Date.now();
  let n = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    drawClockFrame(frame, Date.now() >>> 0);
    ffmpeg.stdin.write(frame);
    n++;
    timer = setTimeout(tick, Math.max(0, start + (n * 1000) / fps - Date.now()));
  };
  tick();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        clearTimeout(timer);
        if (ffmpeg.exitCode !== null) return resolve();
        ffmpeg.once('exit', () => resolve());
        ffmpeg.stdin.end();
        setTimeout(() => ffmpeg.kill('SIGKILL'), 3000).unref();
      }),
  };
}
