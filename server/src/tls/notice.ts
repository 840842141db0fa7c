import type { LabCertificate } from './certificate.ts';

/** What startup prints about the certificate: where it is, and the two ways to make Chrome accept it. */
export function tlsNotice(certificate: LabCertificate, uiPort: number): string[] {
  return [
    '',
    `TLS: ${certificate.generated ? 'made a certificate' : 'using the certificate'} ${certificate.certPath} for ${certificate.names.join(', ')} (valid until ${certificate.validTo.slice(0, 10)}).`,
    'Chrome does not trust it by itself. Either start Chrome with it accepted (a separate profile is easiest):',
    `  chromium --user-data-dir=/tmp/lab-chrome --ignore-certificate-errors-spki-list=${certificate.spki} http://127.0.0.1:${uiPort}/`,
    'or trust it for this user (Linux, with libnss3-tools):',
    `  certutil -d sql:$HOME/.pki/nssdb -A -t "P,," -n websocket-upgrade-lab -i ${certificate.certPath}`,
  ];
}
