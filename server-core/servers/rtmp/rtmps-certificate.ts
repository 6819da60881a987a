import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSelfSignedCertificate, type PemCertificate } from '../../defs/self-signed-certificate.js';

export interface RtmpsCertificateOptions {
  /** Configured PEM files (rtmp.tlsCert / rtmp.tlsKey); both empty: use or make the generated one. */
  certFile: string;
  keyFile: string;
  /** Where the generated certificate is kept (the app's data folder); undefined: made anew each run. */
  dataDir?: string;
}

export const GENERATED_CERT_FILE = 'rtmps-cert.pem';
export const GENERATED_KEY_FILE = 'rtmps-key.pem';

/**
 * The RTMPS certificate: the configured one, else the self-signed one made on first run and kept beside the
 * settings, so OBS users accept it once.
 */
export async function loadRtmpsCertificate(
  options: RtmpsCertificateOptions,
): Promise<PemCertificate & { source: string }> {
  if (options.certFile || options.keyFile) {
    if (!options.certFile || !options.keyFile) throw new Error('rtmp.tlsCert and rtmp.tlsKey go together');
    const [certPem, keyPem] = await Promise.all([
      readFile(options.certFile, 'utf8'),
      readFile(options.keyFile, 'utf8'),
    ]);
    return { certPem, keyPem, source: options.certFile };
  }
  const dir = options.dataDir;
  if (!dir) return { ...(await createSelfSignedCertificate()), source: 'generated (not kept: no data folder)' };
  const certPath = join(dir, GENERATED_CERT_FILE);
  const keyPath = join(dir, GENERATED_KEY_FILE);
  try {
    const [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
    return { certPem, keyPem, source: certPath };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const made = await createSelfSignedCertificate();
  await mkdir(dir, { recursive: true });
  await writeFile(keyPath, made.keyPem, { mode: 0o600 });
  await writeFile(certPath, made.certPem);
  return { ...made, source: `${certPath} (made now)` };
}
