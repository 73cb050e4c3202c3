import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';

/**
 * A certificate authority made on this machine for https on loopback, and a server certificate it
 * signed for 127.0.0.1, ::1 and localhost. MSAL only talks to https authorities, so the local
 * token server needs one; Node processes trust it through NODE_EXTRA_CA_CERTS (read at start-up).
 */
export interface LoopbackTls {
  /** PEM file of the authority, for NODE_EXTRA_CA_CERTS. */
  caPath: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

const VALID_DAYS = 30;

function rsaKeys(): { publicKey: forge.pki.PublicKey; privateKey: forge.pki.rsa.PrivateKey; privateKeyPem: string } {
  // node:crypto makes the key (fast, native); forge only assembles and signs the certificates.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), privateKeyPem: privateKey };
}

/**
 * 16 random bytes as a DER INTEGER's content: positive (high bit clear) and minimal (first byte
 * not zero). A leading zero byte before one under 0x80 is "illegal padding" to OpenSSL, which then
 * refuses the whole certificate (Node drops it from NODE_EXTRA_CA_CERTS with a warning).
 */
export function serialNumberHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40;
  return bytes.toString('hex');
}

function certificate(subject: string, publicKey: forge.pki.PublicKey, extensions: object[]): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serialNumberHex();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + VALID_DAYS * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: subject }]);
  cert.setExtensions(extensions);
  return cert;
}

function generate(): Omit<LoopbackTls, 'caPath'> {
  const caKeys = rsaKeys();
  const ca = certificate('Kastor loopback CA', caKeys.publicKey, [
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.setIssuer(ca.subject.attributes);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverKeys = rsaKeys();
  const server = certificate('localhost', serverKeys.publicKey, [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }, { type: 2, value: 'localhost' }] },
  ]);
  server.setIssuer(ca.subject.attributes);
  server.sign(caKeys.privateKey, forge.md.sha256.create());
  return { caPem: forge.pki.certificateToPem(ca), certPem: forge.pki.certificateToPem(server), keyPem: serverKeys.privateKeyPem };
}

/**
 * Reuses the authority and server certificate in `dir`, or makes them there. The authority's key
 * is never written: nothing else can be signed with it after this call.
 */
export async function ensureLoopbackTls(dir: string): Promise<LoopbackTls> {
  const caPath = path.join(dir, 'ca.pem');
  const certPath = path.join(dir, 'server.pem');
  const keyPath = path.join(dir, 'server-key.pem');
  try {
    const [caPem, certPem, keyPem] = await Promise.all([caPath, certPath, keyPath].map((file) => readFile(file, 'utf8')));
    // Both must parse: a set made with an illegally padded serial is replaced.
    const [ca, cert] = [new X509Certificate(caPem), new X509Certificate(certPem)];
    if (cert.checkIssued(ca) && new Date(cert.validTo).getTime() > Date.now() + 86_400_000) return { caPath, caPem, certPem, keyPem };
  } catch {
    // Missing or unreadable: make a new set below.
  }
  const made = generate();
  await mkdir(dir, { recursive: true });
  await writeFile(caPath, made.caPem);
  await writeFile(certPath, made.certPem);
  await writeFile(keyPath, made.keyPem, { mode: 0o600 });
  return { caPath, ...made };
}
