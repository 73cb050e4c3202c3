import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/**
 * A throwaway authority for a secured test broker, made at start: the broker's certificate (for
 * 127.0.0.1 and localhost) and a client certificate for mutual TLS, both signed by it. The
 * authority's key is dropped once they are signed.
 */
export interface BrokerCertificates {
  caPem: string;
  server: { certPem: string; keyPem: string };
  client: { certPem: string; keyPem: string };
}

const VALID_DAYS = 7;

function keyPair() {
  // node:crypto makes the key (fast, native); forge assembles and signs the certificates.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  return { forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), keyPem: privateKey };
}

function certificate(commonName: string, publicKey: forge.pki.PublicKey, extensions: object[]): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `0${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + VALID_DAYS * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  cert.setExtensions(extensions);
  return cert;
}

export function generateBrokerCertificates(clientName = 'kastor-client'): BrokerCertificates {
  const ca = keyPair();
  const caCert = certificate('Kastor test Kafka CA', ca.publicKey, [
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.setIssuer(caCert.subject.attributes);
  caCert.sign(ca.forgeKey, forge.md.sha256.create());

  const issue = (commonName: string, usage: object, altNames: object[]) => {
    const keys = keyPair();
    const cert = certificate(commonName, keys.publicKey, [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      usage,
      ...(altNames.length ? [{ name: 'subjectAltName', altNames }] : []),
    ]);
    cert.setIssuer(caCert.subject.attributes);
    cert.sign(ca.forgeKey, forge.md.sha256.create());
    return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
  };
  return {
    caPem: forge.pki.certificateToPem(caCert),
    server: issue('localhost', { name: 'extKeyUsage', serverAuth: true, clientAuth: true }, [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }]),
    client: issue(clientName, { name: 'extKeyUsage', clientAuth: true }, []),
  };
}
