import { type ChildProcess, spawnSync } from 'node:child_process';

/**
 * The end of a test that ran a server inside a network namespace: close the server's stdin (it closes itself
 * and exits), kill it after 5 s if it has not, then delete the namespace.
 */
export async function stopServerAndNamespace(server: ChildProcess | undefined, namespace: string): Promise<void> {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('close', resolve));
    server.stdin?.end();
    const killer = setTimeout(() => server.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  }
  spawnSync('ip', ['netns', 'delete', namespace]);
}
