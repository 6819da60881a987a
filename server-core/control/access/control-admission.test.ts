import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AdmissionAction, ClientContext } from '../../defs/admission.js';
import { HttpHooks } from '../hooks/http-hooks.js';
import { ControlAdmission, type ControlAdmissionOptions, type RefusalKind } from './control-admission.js';
import { IpRules } from './ip-rules.js';
import { RefusalCounter } from './refusal-counter.js';

const client = (overrides: Partial<ClientContext> = {}): ClientContext => ({
  cid: 'c0ffee',
  ip: '203.0.113.9',
  protocol: 'rtmp',
  vhost: '__defaultVhost__',
  app: 'live',
  stream: 'cam',
  param: '',
  tcUrl: 'rtmp://203.0.113.1/live',
  ...overrides,
});

describe('ControlAdmission', () => {
  let server: Server;
  let base: string;
  let hookCalls: string[];
  let refusals: { action: AdmissionAction; protocol: string; kind: RefusalKind }[];
  let warnings: { obj: Record<string, unknown>; msg: string }[];
  const logger = {
    warn: (obj: Record<string, unknown>, msg: string) => warnings.push({ obj, msg }),
  } as unknown as Logger;

  beforeAll(async () => {
    // A real on_* callback server: /allow answers 0, /deny code 1, /slow too late.
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        hookCalls.push(req.url ?? '');
        if (req.url === '/allow') res.end('0');
        else if (req.url === '/deny') res.end('{"code":1}');
        else setTimeout(() => res.end('0'), 1000).unref();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    hookCalls = [];
    refusals = [];
    warnings = [];
  });

  function admission(
    options: Partial<ControlAdmissionOptions> = {},
    urls: Record<string, string[]> = {},
    timeoutMs = 3000,
  ) {
    const hooks = new HttpHooks({ urls, timeoutMs, retries: 0, serverId: 's', serviceId: 'v', logger });
    return new ControlAdmission({
      ipRules: new IpRules([]),
      publishSecret: '',
      refererHosts: [],
      hooks,
      logger,
      onRefused: (action, protocol, kind) => refusals.push({ action, protocol, kind }),
      ...options,
    });
  }

  it('lets everyone in when nothing is configured', async () => {
    const a = admission();
    for (const action of ['connect', 'publish', 'play'] as const) {
      expect(await a.check(action, client())).toEqual({ allowed: true });
    }
    expect(refusals).toEqual([]);
  });

  it('requires the publish secret, compares it, and counts each refusal', async () => {
    const a = admission({ publishSecret: 'hunter2' });
    const missing = await a.check('publish', client());
    expect(missing.allowed).toBe(false);
    if (!missing.allowed) expect(missing.reason).toContain('missing');
    const wrong = await a.check('publish', client({ param: 'secret=hunter3' }));
    expect(wrong.allowed).toBe(false);
    if (!wrong.allowed) expect(wrong.reason).toContain('wrong');
    const prefix = await a.check('publish', client({ param: 'secret=hunter' }));
    expect(prefix.allowed).toBe(false);
    expect(await a.check('publish', client({ param: 'token=x&secret=hunter2' }))).toEqual({ allowed: true });
    // Players need no secret.
    expect(await a.check('play', client())).toEqual({ allowed: true });
    expect(refusals).toEqual([
      { action: 'publish', protocol: 'rtmp', kind: 'secret' },
      { action: 'publish', protocol: 'rtmp', kind: 'secret' },
      { action: 'publish', protocol: 'rtmp', kind: 'secret' },
    ]);
    // One log line names the client and the stream.
    expect(warnings[0].obj).toMatchObject({ cid: 'c0ffee', ip: '203.0.113.9', stream: '/live/cam', kind: 'secret' });
    expect(warnings[0].msg).toContain('publish refused');
  });

  it('applies IP rules by action, protocol and address, first match deciding', async () => {
    const a = admission({
      ipRules: new IpRules([
        { action: 'publish', policy: 'allow', cidr: '10.0.0.0/8' },
        { action: 'publish', policy: 'deny', cidr: '0.0.0.0/0' },
        { action: 'play', policy: 'deny', cidr: '198.51.100.0/24', protocol: 'http-flv' },
      ]),
    });
    expect((await a.check('publish', client({ ip: '10.2.3.4' }))).allowed).toBe(true);
    expect((await a.check('publish', client({ ip: '::ffff:10.2.3.4' }))).allowed).toBe(true);
    const denied = await a.check('publish', client({ ip: '203.0.113.9' }));
    expect(denied.allowed).toBe(false);
    if (!denied.allowed) expect(denied.reason).toContain('203.0.113.9');
    expect((await a.check('play', client({ ip: '198.51.100.5', protocol: 'http-flv' }))).allowed).toBe(false);
    expect((await a.check('play', client({ ip: '198.51.100.5', protocol: 'rtmp' }))).allowed).toBe(true);
    expect((await a.check('play', client({ ip: '198.51.101.5', protocol: 'http-flv' }))).allowed).toBe(true);
    // A connect is never refused by rules made for publish and play.
    expect((await a.check('connect', client({ ip: '203.0.113.9' }))).allowed).toBe(true);
    expect(refusals).toEqual([
      { action: 'publish', protocol: 'rtmp', kind: 'ip' },
      { action: 'play', protocol: 'http-flv', kind: 'ip' },
    ]);
  });

  it('checks the IP rules before the secret: a denied address learns nothing about the secret', async () => {
    const a = admission({
      publishSecret: 'hunter2',
      ipRules: new IpRules([{ action: 'publish', policy: 'deny', cidr: '203.0.113.0/24' }]),
    });
    expect((await a.check('publish', client({ param: 'secret=hunter2' }))).allowed).toBe(false);
    expect(refusals.map((r) => r.kind)).toEqual(['ip']);
  });

  it('lets web pages play only from the configured hosts and their subdomains; native players send no Referer', async () => {
    const a = admission({ refererHosts: ['example.org'] });
    const play = (referer?: string) => a.check('play', client({ protocol: 'http-flv', referer }));
    expect((await play('https://example.org/watch')).allowed).toBe(true);
    expect((await play('https://cdn.example.org/p.html')).allowed).toBe(true);
    expect((await play(undefined)).allowed).toBe(true);
    const foreign = await play('https://evil-example.org/');
    expect(foreign.allowed).toBe(false);
    if (!foreign.allowed) expect(foreign.reason).toContain('evil-example.org');
    expect((await play('https://example.org.evil.net/')).allowed).toBe(false);
    expect((await play('not a url')).allowed).toBe(false);
    // Publishing is not a page's business.
    expect((await a.check('publish', client({ referer: 'https://evil.net/' }))).allowed).toBe(true);
    expect(refusals.map((r) => r.kind)).toEqual(['referer', 'referer', 'referer']);
  });

  it('asks the on_* hooks after the local checks and follows their answer', async () => {
    const a = admission(
      {},
      { on_connect: [`${base}/allow`], on_publish: [`${base}/deny`], on_play: [`${base}/allow`] },
    );
    expect((await a.check('connect', client())).allowed).toBe(true);
    const publish = await a.check('publish', client());
    expect(publish.allowed).toBe(false);
    if (!publish.allowed) expect(publish.reason).toContain('on_publish');
    expect((await a.check('play', client())).allowed).toBe(true);
    expect(hookCalls).toEqual(['/allow', '/deny', '/allow']);
    expect(refusals).toEqual([{ action: 'publish', protocol: 'rtmp', kind: 'hook' }]);
  });

  it('refuses when a hook does not answer in time', async () => {
    const a = admission({}, { on_play: [`${base}/slow`] }, 200);
    const verdict = await a.check('play', client());
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason).toContain('no reply');
    expect(refusals.map((r) => r.kind)).toEqual(['hook']);
  });

  it('does not call the hook for a client the local checks already refused', async () => {
    const a = admission({ publishSecret: 'x' }, { on_publish: [`${base}/allow`] });
    expect((await a.check('publish', client())).allowed).toBe(false);
    expect(hookCalls).toEqual([]);
  });

  it('tells the departure hooks when clients leave', async () => {
    const a = admission(
      {},
      { on_close: [`${base}/allow`], on_unpublish: [`${base}/allow`], on_stop: [`${base}/deny`] },
    );
    a.departed('close', client());
    a.departed('unpublish', client());
    a.departed('stop', client());
    const deadline = Date.now() + 3000;
    while (hookCalls.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(hookCalls.sort()).toEqual(['/allow', '/allow', '/deny']);
  });

  it('applies new rules on update', async () => {
    const a = admission();
    expect((await a.check('publish', client())).allowed).toBe(true);
    a.update({ ipRules: new IpRules([]), publishSecret: 'new', refererHosts: [] });
    expect((await a.check('publish', client())).allowed).toBe(false);
    expect((await a.check('publish', client({ param: 'secret=new' }))).allowed).toBe(true);
  });

  it('feeds the refusal counter the metrics read', async () => {
    const counter = new RefusalCounter();
    const a = admission({
      publishSecret: 'x',
      onRefused: (action, protocol, kind) => counter.record(action, protocol, kind),
    });
    await a.check('publish', client());
    await a.check('publish', client({ protocol: 'srt' }));
    await a.check('publish', client());
    expect([...counter.counts.values()]).toEqual([
      { action: 'publish', protocol: 'rtmp', kind: 'secret', count: 2 },
      { action: 'publish', protocol: 'srt', kind: 'secret', count: 1 },
    ]);
  });
});
