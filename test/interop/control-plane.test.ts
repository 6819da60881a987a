import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, TallyServer } from '../../server-core/index.js';
import { decode, probe, publish } from './support/ffmpeg.js';
import { runProcess, startProcess } from './support/run-process.js';
import { ensureSample, SAMPLE_720P } from './support/sample-media.js';
import { pollFor, type RunningServer, startTestServer, waitFor } from './support/test-server.js';

// biome-ignore lint/suspicious/noExplicitAny: API replies are JSON the assertions check field by field.
type Json = Record<string, any>;

async function getJson(env: RunningServer, path: string, init?: RequestInit): Promise<{ status: number; body: Json }> {
  const response = await fetch(env.apiUrl(path), init);
  return { status: response.status, body: (await response.json()) as Json };
}

/** A callback receiver: records every hook call; `reply` decides the answer per action. */
class HookReceiver {
  calls: Json[] = [];
  reply: (body: Json) => { status: number; body: string } | 'hang' = () => ({ status: 200, body: '{"code":0}' });
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res) => {
      let text = '';
      req.on('data', (d: Buffer) => {
        text += d.toString();
      });
      req.on('end', () => {
        const body = JSON.parse(text) as Json;
        this.calls.push(body);
        const answer = this.reply(body);
        if (answer === 'hang') return;
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  close(): void {
    this.server?.closeAllConnections();
    this.server?.close();
  }
}

describe('control plane', () => {
  let sample: string;
  beforeAll(async () => {
    sample = await ensureSample();
  });

  describe('SRS-compatible API and metrics', () => {
    let env: RunningServer;
    let publisher: ReturnType<typeof publish>;

    beforeAll(async () => {
      env = await startTestServer('control-api');
      publisher = publish(sample, env.rtmpUrl('/live/api'));
      await waitFor(() => env.server.registry.list().length === 1, 15_000, 'publish');
    });

    afterAll(async () => {
      await publisher?.stop();
      await env?.close();
    });

    it('reports versions, summaries, streams and clients with SRS field names and live values', async () => {
      const versions = await getJson(env, '/api/v1/versions');
      expect(versions.body).toMatchObject({ code: 0, data: { major: 0 } });
      expect(typeof versions.body.server).toBe('string');
      const player = startProcess('ffmpeg', [
        '-hide_banner',
        '-i',
        env.httpUrl('/live/api.flv'),
        '-c',
        'copy',
        '-f',
        'null',
        '-',
      ]);
      try {
        const stream = await pollFor(
          async () => {
            const { body } = await getJson(env, '/api/v1/streams');
            const s = body.streams?.[0];
            return s && s.kbps.recv_30s > 0 && s.clients >= 2 ? s : undefined;
          },
          15_000,
          'stream bitrate',
        );
        expect(stream).toMatchObject({
          name: 'api',
          app: 'live',
          url: '/live/api',
          publish: { active: true },
          video: { codec: 'H264', width: SAMPLE_720P.width, height: SAMPLE_720P.height },
          audio: { codec: 'AAC', sample_rate: SAMPLE_720P.audioRate, channel: 2, profile: 'LC' },
        });
        // The profile is what the bitstream says, as ffprobe reads it ("Constrained Baseline" for ultrafast x264).
        const [sampleVideo] = await probe(sample, ['-select_streams', 'v']);
        expect(sampleVideo.profile).toContain(stream.video.profile);
        expect(stream.video.level).toMatch(/^\d(\.\d)?$/);
        expect(stream.frames).toBeGreaterThan(0);
        expect(stream.recv_bytes).toBeGreaterThan(0);
        const one = await getJson(env, `/api/v1/streams/${stream.id}`);
        expect(one.body.stream.id).toBe(stream.id);
        expect((await getJson(env, '/api/v1/streams/nope')).body.code).not.toBe(0);

        const summaries = await getJson(env, '/api/v1/summaries');
        expect(summaries.body.data.self.pid).toBe(process.pid);
        expect(summaries.body.data.system.cpus).toBeGreaterThan(0);
        expect(summaries.body.data.system.mem_ram_kbyte).toBeGreaterThan(0);

        const clients = (await getJson(env, '/api/v1/clients?count=100')).body.clients as Json[];
        const pub = clients.find((c) => c.publish);
        const play = clients.find((c) => !c.publish);
        expect(pub).toMatchObject({ type: 'fmle-publish', ip: '127.0.0.1', url: '/live/api', protocol: 'rtmp' });
        expect(play).toMatchObject({ type: 'flv-play', protocol: 'http-flv' });
        expect(play?.alive).toBeGreaterThan(0);
        expect((await getJson(env, '/api/v1/clients?count=1')).body.clients).toHaveLength(1);

        // Kick the player: its connection closes and ffmpeg ends.
        const kicked = await getJson(env, `/api/v1/clients/${play?.id}`, { method: 'DELETE' });
        expect(kicked.body.code).toBe(0);
        const ended = await Promise.race([player.exited, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
        expect(ended, 'the kicked player must disconnect').not.toBeNull();
        expect((await getJson(env, `/api/v1/clients/${play?.id}`)).body.code).not.toBe(0);
      } finally {
        await player.stop();
      }
    });

    it('serves /metrics that promtool accepts, with counters that grow', async () => {
      const first = await (await fetch(env.apiUrl('/metrics'))).text();
      const file = join(tmpdir(), `tally-metrics-${process.pid}.txt`);
      writeFileSync(file, first);
      const check = await runProcess('sh', ['-c', `promtool check metrics < ${file}`], 20_000);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      const value = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
      expect(value(first, 'srs_streams')).toBe(1);
      const second = await pollFor(
        async () => {
          const text = await (await fetch(env.apiUrl('/metrics'))).text();
          return value(text, 'srs_receive_bytes_total') > value(first, 'srs_receive_bytes_total') ? text : undefined;
        },
        10_000,
        'the received bytes counter to grow',
      );
      expect(second).toMatch(/tally_stream_kbps\{app="live",stream="api",direction="recv"\}/);
    });

    it('searches the log by context id', async () => {
      const cid = env.server.registry.list()[0].publisher.cid;
      const { body } = await getJson(env, `/api/v1/logs?cid=${cid}`);
      expect(body.logs.length).toBeGreaterThan(0);
      expect(body.logs.every((l: Json) => l.cid === cid)).toBe(true);
      expect(body.logs.some((l: Json) => /publish/.test(l.msg))).toBe(true);
    });
  });

  describe('HTTP callbacks', () => {
    const hooks = new HookReceiver();
    let env: RunningServer;

    beforeAll(async () => {
      await hooks.start();
      const url = hooks.url();
      env = await startTestServer('control-hooks', {
        // Streams end with their publisher here: each test checks what is left afterwards.
        hub: { publisherGraceMs: 0 },
        hooks: {
          on_publish: [url],
          on_unpublish: [url],
          on_play: [url],
          on_stop: [url],
          on_hls: [url],
          timeoutMs: 1000,
          retries: 0,
        },
      });
    });

    afterAll(async () => {
      hooks.close();
      await env?.close();
    });

    it('sends on_publish, on_play, on_stop and on_unpublish with SRS fields', async () => {
      const publisher = publish(sample, env.rtmpUrl('/live/hooked?token=abc'));
      try {
        await waitFor(() => env.server.registry.list().length === 1, 15_000, 'publish');
        const result = await decode(env.httpUrl('/live/hooked.flv'), 1, { copy: true });
        expect(result.code, result.stderr).toBe(0);
      } finally {
        await publisher.stop();
      }
      await pollFor(
        async () => (hooks.calls.some((c) => c.action === 'on_unpublish') ? true : undefined),
        10_000,
        'on_unpublish',
      );
      const byAction = (action: string) => hooks.calls.find((c) => c.action === action);
      expect(byAction('on_publish')).toMatchObject({
        action: 'on_publish',
        app: 'live',
        stream: 'hooked',
        param: '?token=abc',
        ip: '127.0.0.1',
        vhost: '__defaultVhost__',
        stream_url: '/live/hooked',
      });
      expect(typeof byAction('on_publish')?.client_id).toBe('string');
      expect(byAction('on_play')).toMatchObject({ app: 'live', stream: 'hooked' });
      await pollFor(async () => (byAction('on_stop') ? true : undefined), 5000, 'on_stop');
      expect(byAction('on_unpublish')?.client_id).toBe(byAction('on_publish')?.client_id);
      await pollFor(async () => (byAction('on_hls') ? true : undefined), 5000, 'on_hls');
      expect(byAction('on_hls')).toMatchObject({
        app: 'live',
        stream: 'hooked',
        m3u8_url: '/live/hooked.m3u8',
        seq_no: 0,
      });
      expect(byAction('on_hls')?.duration).toBeGreaterThan(0);
      expect(byAction('on_hls')?.url).toMatch(/^\/live\/hooked-0\.ts$/);
    });

    it('refuses a publish when on_publish answers non-zero, or does not answer in time', async () => {
      for (const answer of [{ status: 200, body: '{"code":1}' }, 'hang'] as const) {
        hooks.reply = (body) => (body.action === 'on_publish' ? answer : { status: 200, body: '0' });
        const publisher = publish(sample, env.rtmpUrl('/live/refused'));
        const result = await Promise.race([
          publisher.exited,
          new Promise<null>((r) => setTimeout(() => r(null), 10_000)),
        ]);
        if (result === null) await publisher.stop();
        expect(result, 'ffmpeg must fail to publish').not.toBeNull();
        expect(result?.code).not.toBe(0);
        expect(env.server.registry.list()).toHaveLength(0);
      }
      hooks.reply = () => ({ status: 200, body: '{"code":0}' });
    });
  });

  describe('access control', () => {
    it('requires the publish secret when one is set', async () => {
      const env = await startTestServer('control-secret', { security: { publishSecret: 's3cret' } });
      try {
        const refused = publish(sample, env.rtmpUrl('/live/secure'));
        const result = await Promise.race([
          refused.exited,
          new Promise<null>((r) => setTimeout(() => r(null), 10_000)),
        ]);
        if (result === null) await refused.stop();
        expect(result?.code ?? 0).not.toBe(0);
        expect(env.server.registry.list()).toHaveLength(0);
        const accepted = publish(sample, env.rtmpUrl('/live/secure?secret=s3cret'));
        try {
          await waitFor(() => env.server.registry.list().length === 1, 15_000, 'the publish with the secret');
          expect(env.server.registry.list()[0].key.stream).toBe('secure');
        } finally {
          await accepted.stop();
        }
        const metrics = await (await fetch(env.apiUrl('/metrics'))).text();
        expect(metrics).toMatch(/tally_refused_total\{action="publish",protocol="rtmp",kind="secret"\} 1/);
      } finally {
        await env.close();
      }
    });

    it('refuses players from a denied address range', async () => {
      const env = await startTestServer('control-ip', {
        security: { ipRules: [{ action: 'play', policy: 'deny', cidr: '127.0.0.0/8', protocol: 'http-flv' }] },
      });
      const publisher = publish(sample, env.rtmpUrl('/live/ip'));
      try {
        await waitFor(() => env.server.registry.list().length === 1, 15_000, 'publish');
        const denied = await fetch(env.httpUrl('/live/ip.flv'));
        expect(denied.status).toBe(403);
        expect(await denied.text()).toMatch(/denied/);
        // RTMP is not covered by the rule.
        const rtmp = await decode(env.rtmpUrl('/live/ip'), 1, { copy: true });
        expect(rtmp.code, rtmp.stderr).toBe(0);
      } finally {
        await publisher.stop();
        await env.close();
      }
    });

    it('requires the API token when one is set, and refuses to expose the API without one', async () => {
      const env = await startTestServer('control-token', { api: { token: 'letmein' } });
      try {
        expect((await fetch(env.apiUrl('/api/v1/streams'))).status).toBe(401);
        const ok = await fetch(env.apiUrl('/api/v1/streams'), { headers: { Authorization: 'Bearer letmein' } });
        expect(ok.status).toBe(200);
        const basic = Buffer.from('admin:letmein').toString('base64');
        expect(
          (await fetch(env.apiUrl('/api/v1/streams'), { headers: { Authorization: `Basic ${basic}` } })).status,
        ).toBe(200);
      } finally {
        await env.close();
      }
      expect(() => new TallyServer({ config: parseConfig({ api: { host: '0.0.0.0' } }) })).toThrow(/api\.token/);
    });
  });
});
