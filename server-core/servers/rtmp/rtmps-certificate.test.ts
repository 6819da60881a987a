import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GENERATED_CERT_FILE, loadRtmpsCertificate } from './rtmps-certificate.js';

describe('RTMPS certificate', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is made on first run, kept in the data folder and reused on the next', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-rtmps-'));
    const first = await loadRtmpsCertificate({ certFile: '', keyFile: '', dataDir: dir });
    expect(new X509Certificate(first.certPem).publicKey.asymmetricKeyType).toBe('ec');
    expect(await readFile(join(dir, GENERATED_CERT_FILE), 'utf8')).toBe(first.certPem);
    const second = await loadRtmpsCertificate({ certFile: '', keyFile: '', dataDir: dir });
    expect(second.certPem).toBe(first.certPem);
    expect(second.keyPem).toBe(first.keyPem);
  });

  it('reads configured files, and refuses a certificate without its key', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-rtmps-'));
    const made = await loadRtmpsCertificate({ certFile: '', keyFile: '', dataDir: dir });
    const configured = await loadRtmpsCertificate({
      certFile: join(dir, GENERATED_CERT_FILE),
      keyFile: join(dir, 'rtmps-key.pem'),
    });
    expect(configured.certPem).toBe(made.certPem);
    await expect(loadRtmpsCertificate({ certFile: join(dir, GENERATED_CERT_FILE), keyFile: '' })).rejects.toThrow(
      /go together/,
    );
  });
});
