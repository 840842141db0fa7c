import type { LabInfo } from '../../../../server/src/api/types.ts';
import type { Lesson, Need } from '../../lessons/types.ts';

/** What the lab says when real nginx is missing, and what to do about it. */
export function needsNginxText(info: LabInfo): string {
  return (
    `This step needs real nginx, and it is not running in this lab: ${info.nginx.reason ?? 'nginx was not found.'} ` +
    'Install it (Debian or Ubuntu: sudo apt-get install nginx-light; macOS: brew install nginx), then restart the lab with npm start: ' +
    'it finds nginx on the PATH (or give --nginx <path>).'
  );
}

/** Why a lesson cannot run as written in this lab, or undefined when nothing is missing that the lab can tell. */
export function missingNeed(lesson: Lesson, info: LabInfo): { need: Need; text: string } | undefined {
  if (lesson.needs?.includes('nginx') && !info.nginx.available) return { need: 'nginx', text: needsNginxText(info) };
  return undefined;
}

/** The tls need: Chrome must accept the lab's certificate. */
export function tlsText(info: LabInfo): string {
  if (!info.tls) return 'This lesson needs the lab\'s TLS listeners, and this lab runs without them (started with --no-tls).';
  return (
    `This lesson needs Chrome to accept the lab's certificate: start it with --ignore-certificate-errors-spki-list=${info.tls.spki} ` +
    `(or trust ${info.tls.certPath}). Without it Chromium fails every wss:// socket with net::ERR_CERT_AUTHORITY_INVALID.`
  );
}

/** The http2 need: the page itself must come over HTTP/2, from the lab's HTTP/2 port. */
export function http2Text(info: LabInfo): string {
  if (info.ports.h2 === undefined) return 'This lesson needs the lab\'s HTTP/2 port, and this lab runs without it (started with --no-tls).';
  const here = typeof window !== 'undefined' && window.location.port === String(info.ports.h2);
  return here
    ? 'This page came over HTTP/2 from the lab\'s HTTP/2 port: its WebSockets to this origin are extended CONNECT streams.'
    : `This lesson needs the page opened over HTTP/2: open https://${typeof window !== 'undefined' ? window.location.hostname : '127.0.0.1'}:${info.ports.h2}/ (in a Chrome that accepts the lab's certificate) and start it there.`;
}

/** The browser-proxy need, which only the browser's own settings can meet: said up front. */
export function browserProxyText(info: LabInfo, lesson?: Lesson): string {
  const preset = lesson?.proxy;
  const proxy = (preset === undefined ? info.ports.forwardProxy : info.ports.forwardProxyPresets?.[preset]) ?? 3128;
  const which = preset === undefined ? "the lab's forward proxy" : `the lab's ${preset} forward proxy (a corporate proxy's behaviour)`;
  return (
    `This lesson needs Chrome started with ${which}: chromium --proxy-server=http://127.0.0.1:${proxy} ` +
    `--proxy-bypass-list='<-loopback>;127.0.0.1:${info.ports.ui}' (a separate profile with --user-data-dir is easiest). ` +
    'Without it the connection goes straight to the echo server and the lesson shows no CONNECT.'
  );
}
