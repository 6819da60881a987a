import type { Server } from 'node:net';

/** Binds a server, rejecting with the OS error (EADDRINUSE, EACCES) instead of emitting it. */
export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
