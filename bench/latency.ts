import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium, PageServer } from '../test/interop/support/browser.js';
import { CLOCK_FRAME, startClockSource } from './clock-source.js';
import { LATENCY_PLAYERS, type LatencyPlayer } from './latency-players.js';
import { freePort, sleep, waitForPort } from './net-util.js';
import { median, percentile } from './proc-sampler.js';
import { startTallyProcess } from './server-process.js';

/**
 * `npm run latency`: glass-to-glass latency per protocol on loopback, in Chromium.
 *   --protocols ts-hls,ll-hls,http-flv,webrtc   --duration 20   --warmup 8   --part 0.2   --json
 * A publisher (bench/clock-source.ts) draws the wall-clock time into every frame it hands to x264 and sends it
 * to Tally over RTMP; each player (bench/latency-players.ts) plays the stream in Chromium, and the page reads the
 * time back out of every frame it presents (requestVideoFrameCallback → canvas → pixels). Latency = the frame's
 * expected display time minus the time drawn into it: encoder, RTMP, server, player buffer, decoder and
 * compositor, everything but the camera and the screen. Same machine, same clock.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    protocols: { type: 'string', default: Object.keys(LATENCY_PLAYERS).join(',') },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '8' },
    part: { type: 'string', default: '0.2' },
    json: { type: 'boolean', default: false },
  },
});

/** Reads the stamp out of every presented frame; `window.samples` collects [display time, latency ms]. */
function measuringScript(): string {
  const { width, height, columns, rows } = CLOCK_FRAME;
  return `
  const canvas = document.createElement('canvas');
  canvas.width = ${width}; canvas.height = ${height};
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  window.samples = [];
  const onFrame = (now, meta) => {
    ctx.drawImage(video, 0, 0, ${width}, ${height});
    const pixels = ctx.getImageData(0, 0, ${width}, ${height}).data;
    let stamp = 0;
    for (let bit = 0; bit < 32; bit++) {
      const x = Math.round(((bit % ${columns}) + 0.5) * ${width / columns});
      const y = Math.round((Math.floor(bit / ${columns}) + 0.5) * ${height / rows});
      stamp = stamp * 2 + (pixels[(y * ${width} + x) * 4] > 128 ? 1 : 0);
    }
    const shownAt = performance.timeOrigin + meta.expectedDisplayTime;
    const latency = ((Math.round(shownAt) % 2 ** 32) - stamp + 2 ** 32) % 2 ** 32;
    if (latency < 60000) window.samples.push([shownAt, latency]);
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);`;
}

function page(player: LatencyPlayer): string {
  const libraries = player.libraries.map((l) => `<script src="${l}"></script>`).join('');
  return `<!doctype html><video id="v" muted autoplay playsinline></video>${libraries}<script>
  const video = document.getElementById('v');
  const src = new URL(location.href).searchParams.get('src');
  ${player.start}
  ${measuringScript()}
</script>`;
}

interface LatencyResult {
  protocol: string;
  label: string;
  frames: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

async function measure(tab: Page, warmupS: number, durationS: number): Promise<number[]> {
  await sleep(warmupS * 1000);
  const from = Date.now();
  await sleep(durationS * 1000);
  const samples = await tab.evaluate(() => (window as unknown as { samples: [number, number][] }).samples);
  return samples.filter(([at]) => at >= from).map(([, latency]) => latency);
}

async function main(): Promise<void> {
  const protocols = values.protocols.split(',').map((p) => p.trim());
  for (const p of protocols) if (!LATENCY_PLAYERS[p]) throw new Error(`unknown protocol ${p}`);
  const ports = { rtmp: await freePort(), http: await freePort(), api: await freePort() };
  const rtcPort = await freePort();
  const server = startTallyProcess(ROOT, ports, ['--hls', '--ll-hls', '--part', values.part, '--rtc', String(rtcPort)]);
  const pages = new PageServer();
  const source = { stop: async () => {} };
  const browser = await launchChromium();
  try {
    await waitForPort(ports.rtmp);
    await waitForPort(ports.http);
    Object.assign(source, startClockSource(`rtmp://127.0.0.1:${ports.rtmp}/live/clock`));
    for (const p of protocols) pages.addPage(`/${p}.html`, page(LATENCY_PLAYERS[p]));
    await pages.start();
    // Let the playlists fill (TS HLS wants a few segments before hls.js starts).
    await sleep(8000);
    const urls = { http: `http://127.0.0.1:${ports.http}`, api: `http://127.0.0.1:${ports.api}` };
    const results: LatencyResult[] = [];
    for (const protocol of protocols) {
      const player = LATENCY_PLAYERS[protocol];
      const tab = await browser.newPage();
      try {
        const src = player.url(urls, 'live', 'clock');
        await tab.goto(`${pages.url(`/${protocol}.html`)}?src=${encodeURIComponent(src)}`);
        const latencies = await measure(tab, Number(values.warmup), Number(values.duration));
        results.push({
          protocol,
          label: player.label,
          frames: latencies.length,
          medianMs: Math.round(median(latencies)),
          p95Ms: Math.round(percentile(latencies, 95)),
          minMs: latencies.length ? Math.min(...latencies) : Number.NaN,
          maxMs: latencies.length ? Math.max(...latencies) : Number.NaN,
        });
      } finally {
        await tab.close();
      }
    }
    if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else {
      process.stdout.write(
        '| protocol | player | frames | median ms | p95 ms | min ms | max ms |\n|---|---|---|---|---|---|---|\n',
      );
      for (const r of results)
        process.stdout.write(
          `| ${r.protocol} | ${r.label} | ${r.frames} | ${r.medianMs} | ${r.p95Ms} | ${r.minMs} | ${r.maxMs} |\n`,
        );
    }
  } finally {
    await browser.close();
    pages.close();
    await source.stop();
    server.kill('SIGTERM');
  }
}

await main();
