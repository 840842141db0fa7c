import { describe, expect, it } from 'vitest';
import type { LabInfo, PortInfo } from '../../src/api/types.ts';
import { exposure } from '../../src/exposure.ts';
import type { Lab } from '../../src/lab.ts';

// What startup says about a lab bound beyond loopback, from the lab's own description.
function lab(ports: PortInfo, names: string[] | undefined): Lab {
  const info = { ports, ...(names ? { tls: { spki: 'x', certPath: '/c.pem', generated: true, names, validTo: '2027-01-01T00:00:00.000Z' } } : {}) } as unknown as LabInfo;
  return { ports, info: () => info, forwardProxyTargets: () => ["the lab's own listeners"] } as unknown as Lab;
}

const ports: PortInfo = { ui: 8080, echo: 8089, proxy: 8090, forwardProxy: 3128, forwardProxyPresets: { 'connect-443-only': 3129 }, uiTls: 8443, h2: 8444, echoTls: 8449 };

describe('the exposure notice', () => {
  it('names every listener the network reaches, the TLS ones and the forward-proxy presets too', () => {
    const text = exposure(lab(ports, ['localhost', '127.0.0.1', '::1']), '10.0.0.5', []).join('\n');
    expect(text).toContain('port 3129 (connect-443-only)');
    expect(text).toContain('ports 8443, 8444, 8449');
    expect(text).toMatch(/certificate names localhost, 127\.0\.0\.1, ::1 only: .*--tls-cert\/--tls-key.*--no-tls/);
  });

  it('says nothing of the certificate when it names the address students use', () => {
    const text = exposure(lab(ports, ['localhost', '10.0.0.5']), '10.0.0.5', []).join('\n');
    expect(text).toContain('ports 8443, 8444, 8449');
    expect(text).not.toContain('certificate names');
  });

  it('is silent on loopback', () => {
    expect(exposure(lab(ports, ['localhost']), '127.0.0.1', [])).toEqual([]);
  });
});
