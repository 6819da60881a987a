#!/usr/bin/env node
// `npm start`: builds the UI and main bundle, then launches Electron. Electron fetches its binary on first run;
// when that is impossible (no internet, a locked-down machine) this says so plainly and points at the console.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });

if (run('npm', ['run', 'build']).status !== 0) process.exit(1);

let electronPath;
try {
  electronPath = require('electron');
} catch (error) {
  fail(`the electron package is not installed (${error.message}); run npm install`);
}
const child = spawn(electronPath, ['.'], { stdio: ['inherit', 'inherit', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => {
  stderr += d;
  process.stderr.write(d);
});
child.on('error', (error) => fail(`could not start Electron: ${error.message}`));
child.on('exit', (code) => {
  if (code !== 0 && /download|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|fetch/i.test(stderr)) {
    fail('Electron could not download its binary (this machine cannot reach the download server)');
  }
  process.exit(code ?? 1);
});

function fail(reason) {
  process.stderr.write(
    `\ntally: ${reason}.\n` +
      'The desktop window needs the Electron binary. Without it, run the same server and dashboard headless:\n' +
      '  npm run serve     then open http://127.0.0.1:1985/console/\n',
  );
  process.exit(1);
}
