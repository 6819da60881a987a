import {
  CipherContext,
  HashAlgorithm,
  NamedCurveAlgorithm,
  SignatureAlgorithm,
} from 'werift-dtls/lib/dtls/src/index.js';

/** A certificate and its private key, PEM encoded. */
export interface PemCertificate {
  certPem: string;
  keyPem: string;
}

/**
 * A self-signed ECDSA P-256 / SHA-256 certificate (werift-dtls's WebCrypto generator, about 20 ms): the DTLS
 * identity of WebRTC and the RTMPS certificate when none is configured.
 */
export async function createSelfSignedCertificate(): Promise<PemCertificate> {
  const { certPem, keyPem } = await CipherContext.createSelfSignedCertificateWithKey(
    { hash: HashAlgorithm.sha256_4, signature: SignatureAlgorithm.ecdsa_3 },
    NamedCurveAlgorithm.secp256r1_23,
  );
  return { certPem, keyPem };
}
