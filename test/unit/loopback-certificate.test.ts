import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureLoopbackTls, serialNumberHex } from '../../services/loopback-certificate';

describe('the loopback certificate authority', () => {
  it('gives every certificate a positive, minimally encoded serial number', () => {
    // The old serial ("0" + 15 random bytes) was an illegally padded INTEGER once in ~512 draws.
    for (let draw = 0; draw < 20_000; draw++) {
      const serial = serialNumberHex();
      expect(serial).toMatch(/^[0-9a-f]{32}$/);
      const first = Number.parseInt(serial.slice(0, 2), 16);
      expect(first).toBeGreaterThanOrEqual(0x40);
      expect(first).toBeLessThan(0x80);
    }
  });

  it('writes an authority and a server certificate OpenSSL reads, the server one signed by the authority', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kastor-tls-'));
    try {
      const tls = await ensureLoopbackTls(dir);
      const ca = new X509Certificate(await readFile(tls.caPath, 'utf8'));
      const server = new X509Certificate(tls.certPem);
      expect(server.checkIssued(ca)).toBe(true);
      expect(server.verify(ca.publicKey)).toBe(true);
      expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
      // Made once: the next call reads the same files.
      expect((await ensureLoopbackTls(dir)).caPem).toBe(tls.caPem);
      // An authority OpenSSL cannot read is made again, not handed to NODE_EXTRA_CA_CERTS.
      const lines = tls.caPem.split(/\r?\n/);
      lines[3] = 'A'.repeat(lines[3].length);
      await writeFile(tls.caPath, lines.join('\n'));
      const remade = await ensureLoopbackTls(dir);
      expect(remade.caPem).not.toBe(tls.caPem);
      expect(new X509Certificate(remade.certPem).checkIssued(new X509Certificate(remade.caPem))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
