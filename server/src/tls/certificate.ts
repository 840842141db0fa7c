// The lab's TLS certificate: made on first start with `selfsigned` (which builds it with
// @peculiar/x509) and kept under `<data dir>/tls/`, or the user's own (`--tls-cert`/`--tls-key`).
// Chrome will not trust it by itself: startup prints the SPKI hash to start Chrome with
// `--ignore-certificate-errors-spki-list=<hash>`, or the file to add to a trust store.

import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface LabCertificate {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo: what --ignore-certificate-errors-spki-list takes. */
  spki: string;
  /** Whether this start made it (else it was read from disk). */
  generated: boolean;
  /** The names it is valid for. */
  names: string[];
  validTo: string;
}

/** Names the generated certificate covers: the lab binds to loopback by default. */
export const CERT_NAMES = ['localhost', '127.0.0.1', '::1'];
/** Chrome refuses server certificates valid for more than 398 days, even when trusted. */
const VALID_DAYS = 365;
/** A certificate this close to its end is made again at start. */
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

export function spkiHash(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

function describe(cert: string, key: string, certPath: string, keyPath: string, generated: boolean): LabCertificate {
  const x509 = new X509Certificate(cert);
  if (!x509.checkPrivateKey(createPrivateKey(key))) throw new Error(`${keyPath} is not the private key of ${certPath}`);
  const names = (x509.subjectAltName ?? '').split(', ').map((n) => n.replace(/^(DNS|IP Address):/, '')).filter((n) => n !== '');
  return { cert, key, certPath, keyPath, spki: spkiHash(cert), generated, names, validTo: new Date(x509.validTo).toISOString() };
}

/** The user's own certificate and key, read once; a clear error when they do not match or cannot be read. */
export function readOwnCertificate(certPath: string, keyPath: string): LabCertificate {
  let cert: string;
  let key: string;
  try {
    cert = readFileSync(certPath, 'utf8');
    key = readFileSync(keyPath, 'utf8');
  } catch (err) {
    throw new Error(`cannot read --tls-cert/--tls-key: ${(err as Error).message}`);
  }
  try {
    return describe(cert, key, certPath, keyPath, false);
  } catch (err) {
    throw new Error(`--tls-cert ${certPath} with --tls-key ${keyPath}: ${(err as Error).message}`);
  }
}

/** The certificate under `<dataDir>/tls/`, made (or made again, when unreadable or about to expire) as needed. */
export async function labCertificate(dataDir: string): Promise<LabCertificate> {
  const dir = join(dataDir, 'tls');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) {
    try {
      const kept = describe(readFileSync(certPath, 'utf8'), readFileSync(keyPath, 'utf8'), certPath, keyPath, false);
      if (Date.parse(kept.validTo) - Date.now() > RENEW_BEFORE_MS) return kept;
    } catch {
      // Unreadable, mismatched or expired: made again below.
    }
  }
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + VALID_DAYS * 24 * 3600 * 1000);
  const made = await generate([{ name: 'commonName', value: 'WebSocket Upgrade Lab (local)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyPath, made.private, { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, made.cert);
  return describe(made.cert, made.private, certPath, keyPath, true);
}
