import { createHash, X509Certificate } from 'node:crypto';
import {
  CipherContext,
  HashAlgorithm,
  NamedCurveAlgorithm,
  SignatureAlgorithm,
} from 'werift-dtls/lib/dtls/src/index.js';
import type { DtlsFingerprint } from '../../protocol/sdp/index.js';

/** The server's DTLS identity: one self-signed ECDSA P-256 certificate per server, its SHA-256 in every SDP. */
export interface DtlsCertificate {
  certPem: string;
  keyPem: string;
  fingerprint: DtlsFingerprint;
}

/** Makes the certificate (werift-dtls's WebCrypto generator; about 20 ms). */
export async function createDtlsCertificate(): Promise<DtlsCertificate> {
  const { certPem, keyPem } = await CipherContext.createSelfSignedCertificateWithKey(
    { hash: HashAlgorithm.sha256_4, signature: SignatureAlgorithm.ecdsa_3 },
    NamedCurveAlgorithm.secp256r1_23,
  );
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
