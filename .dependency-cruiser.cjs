/**
 * The layering of ARCHITECTURE.md, checked on every test run: imports point down only.
 * defs, codec <- protocol <- hub <- ingest <- formats <- clients <- {servers, outputs, control} <- core <- app <- main;
 * renderer sees app types only. Test files and test helpers (`*test-support.ts`) may use test packages.
 */
const sc = '^server-core/';
const testFiles = '(\\.test\\.ts|test-support\\.ts)$';
/** Container and message codecs: the hub deals in packets, never in a wire container. */
const containerCodecs = `${sc}codec/(mpegts|flv|fmp4|ps|amf)/`;
module.exports = {
  forbidden: [
    {
      name: 'codec-is-pure',
      comment: 'codec/ is pure bytes: it imports nothing outside itself (no node:net, no hub).',
      severity: 'error',
      from: { path: `${sc}codec/`, pathNot: testFiles },
      to: { pathNot: [`${sc}codec/`, '^node:(buffer|crypto)$'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'defs-at-the-bottom',
      comment: 'defs/ holds definitions every layer shares; it imports nothing of the server.',
      severity: 'error',
      from: { path: `${sc}defs/` },
      to: { path: `${sc}(?!defs/)` },
    },
    {
      name: 'codec-no-io',
      severity: 'error',
      from: { path: `${sc}codec/` },
      to: { path: '^(node:)?(net|dgram|http|https|fs|child_process|tls|worker_threads)$' },
    },
    {
      name: 'protocol-below-hub',
      comment: 'protocol/ holds wire state machines without sockets: it may use codec only.',
      severity: 'error',
      from: { path: `${sc}protocol/` },
      to: { path: `${sc}(hub|servers|outputs|control|core|clients)`, pathNot: `${sc}codec/` },
    },
    {
      name: 'protocol-no-io',
      severity: 'error',
      from: { path: `${sc}protocol/` },
      to: { path: '^(node:)?(net|dgram|http|https|fs|child_process|tls)$' },
    },
    {
      name: 'hub-below-edges',
      comment: 'hub/ may use codec only; listeners, outputs and control build on it.',
      severity: 'error',
      from: { path: `${sc}hub/` },
      to: { path: [`${sc}(protocol|servers|outputs|control|core|bin|formats|ingest|clients)`, containerCodecs] },
    },
    {
      name: 'ingest-below-formats',
      comment: 'ingest/ turns elementary streams into packets: it may use hub, codec and defs only.',
      severity: 'error',
      from: { path: `${sc}ingest/`, pathNot: testFiles },
      to: { path: `${sc}(protocol|servers|outputs|control|core|formats|clients)/` },
    },
    {
      name: 'formats-below-edges',
      comment: 'formats/ adapts packets to and from wire formats; listeners and outputs use them, not the reverse.',
      severity: 'error',
      from: { path: `${sc}formats/` },
      to: { path: `${sc}(servers|outputs|control|core|clients)/` },
    },
    {
      name: 'clients-below-edges',
      comment: 'clients/ dials out (RTMP push/pull); listeners and outputs use it, it uses formats and below.',
      severity: 'error',
      from: { path: `${sc}clients/` },
      to: { path: `${sc}(servers|outputs|control|core|bin)/` },
    },
    {
      name: 'jobs-stand-alone',
      comment: 'jobs/ runs ffmpeg processes: it knows nothing of streams; transcoders and outputs build on it.',
      severity: 'error',
      from: { path: `${sc}jobs/` },
      to: { path: `${sc}(?!jobs/|defs/)` },
    },
    {
      name: 'transcode-beside-outputs',
      comment:
        'transcode/ (virtual live, ABR ladders, thumbnails) runs ffmpeg jobs over the hub and the loopback listener: it reaches no listener, output or control code.',
      severity: 'error',
      from: { path: `${sc}transcode/` },
      to: { path: `${sc}(servers|outputs|control|core|bin)/` },
    },
    {
      name: 'servers-not-across',
      severity: 'error',
      from: { path: `${sc}servers/` },
      to: { path: `${sc}(outputs|control|core|bin)/` },
    },
    {
      name: 'outputs-not-across',
      severity: 'error',
      from: { path: `${sc}outputs/` },
      to: { path: `${sc}(servers|control|core|bin)/` },
    },
    {
      name: 'control-not-across',
      severity: 'error',
      from: { path: `${sc}control/` },
      to: { path: `${sc}(servers|outputs|core|bin)/` },
    },
    {
      name: 'modules-are-composition',
      comment: 'modules/ is the composition table: only core.ts uses it.',
      severity: 'error',
      from: { path: sc, pathNot: `${sc}(core\\.ts|modules/)` },
      to: { path: `${sc}modules/` },
    },
    {
      name: 'server-core-stands-alone',
      comment: 'server-core never imports the app, the shell, the UI or electron.',
      severity: 'error',
      from: { path: sc },
      to: { path: ['^(app|main|renderer)/', '^electron$', 'node_modules/electron/'] },
    },
    {
      name: 'app-below-shell',
      severity: 'error',
      from: { path: '^app/' },
      to: { path: ['^(main|renderer)/', '^electron$'] },
    },
    {
      name: 'app-uses-public-core',
      comment: 'app/ and main/ reach server-core through its public entry only.',
      severity: 'error',
      from: { path: '^(app|main)/' },
      to: { path: '^server-core/', pathNot: '^server-core/index\\.ts$' },
    },
    {
      name: 'renderer-types-only',
      comment: 'renderer/ imports only types from app/, nothing from server-core or main.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: ['^server-core/', '^main/', '^app/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(node_modules|dist|release|\\.cache)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
    moduleSystems: ['es6'],
  },
};
