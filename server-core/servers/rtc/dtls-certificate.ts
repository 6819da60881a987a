import { createHash, X509Certificate } from 'node:crypto';
import { createSelfSignedCertificate } from '../../defs/self-signed-certificate.js';
import type { DtlsFingerprint } from '../../protocol/sdp/index.js';

/** The server's DTLS identity: one self-signed ECDSA P-256 certificate per server, its SHA-256 in every SDP. */
export interface DtlsCertificate {
  certPem: string;
  keyPem: string;
  fingerprint: DtlsFingerprint;
}

export { createSelfSignedCertificate } from '../../defs/self-signed-certificate.js';

/** Makes the certificate (the shared self-signed ECDSA P-256 generator) with its fingerprint. */
export async function createDtlsCertificate(): Promise<DtlsCertificate> {
  const { certPem, keyPem } = await createSelfSignedCertificate();
  const der = new X509Certificate(certPem).raw;
  return { certPem, keyPem, fingerprint: certificateFingerprint(der, 'sha-256') };
}

/** RFC 8122 5: the hash of the DER certificate as upper-case hex pairs joined by ':'. */
export function certificateFingerprint(der: Buffer, algorithm: string): DtlsFingerprint {
  const hash = createHash(algorithm.replace('-', '')).update(der).digest('hex').toUpperCase();
  return { algorithm, value: hash.match(/../g)?.join(':') ?? '' };
}

/** Does the peer's DER certificate match the fingerprint its SDP announced? */
export function matchesFingerprint(der: Buffer | undefined, expected: DtlsFingerprint): boolean {
  if (!der) return false;
  const algorithm = expected.algorithm.toLowerCase();
  if (!['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512'].includes(algorithm)) return false;
  return certificateFingerprint(der, algorithm).value === expected.value.toUpperCase();
}
