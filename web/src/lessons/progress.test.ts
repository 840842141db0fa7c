import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, isNavigation, readView, writeView } from '../features/navigation/url-state.ts';
import { lessonById } from './index.ts';
import { clampStep, formatConnections, parseConnections, ranFromLink } from './progress.ts';
import { curlCommand, terminalRequest } from './terminal.ts';

describe('a lesson in the page URL', () => {
  it('round-trips the lesson, the step (from 1 in the URL) and each alias’s connection', () => {
    const view = { ...DEFAULT_VIEW, session: 's', conn: 'c-2', lesson: { id: 'nginx-default', step: 4, connections: { broken: 'c-1', fixed: 'c-2' } } };
    const query = writeView(view);
    expect(new URLSearchParams(query).get('step')).toBe('5');
    expect(new URLSearchParams(query).get('lc')).toBe('broken:c-1,fixed:c-2');
    expect(readView(query)).toEqual(view);
    expect(readView('?session=s&view=lessons').view).toBe('lessons');
  });

  it('calls a new step navigation, so Back walks the steps', () => {
    const a = { ...DEFAULT_VIEW, session: 's', lesson: { id: 'x', step: 1, connections: {} } };
    expect(isNavigation(a, { ...a, lesson: { ...a.lesson, step: 2 } })).toBe(true);
    expect(isNavigation(a, { ...a, lesson: { ...a.lesson, connections: { b: 'c' } } })).toBe(false);
  });

  it('reads only well-formed alias:connection pairs', () => {
    expect(parseConnections('broken:c-1,,bad,:c-2,x:y:z,ok:c-3')).toEqual({ broken: 'c-1', ok: 'c-3' });
    expect(formatConnections(parseConnections('a:c-1,b:c-2'))).toBe('a:c-1,b:c-2');
  });
});

describe('what a link to a step can count as run', () => {
  const lesson = lessonById('nginx-default')!;

  it('nothing, when it names no connection', () => {
    expect(ranFromLink(lesson, 3, {})).toBe(0);
  });

  it('every step up to it whose connections it names', () => {
    expect(ranFromLink(lesson, 3, { broken: 'c-1' })).toBe(4);
    // The Fix it step opens `fixed`: a link that lacks it has not run that step.
    expect(ranFromLink(lesson, 4, { broken: 'c-1' })).toBe(4);
    expect(ranFromLink(lesson, 4, { broken: 'c-1', fixed: 'c-2' })).toBe(5);
  });

  it('keeps a step inside the lesson', () => {
    expect(clampStep(lesson, 99)).toBe(lesson.steps.length - 1);
    expect(clampStep(lesson, -3)).toBe(0);
  });
});

describe('a terminal step', () => {
  const step = lessonById('hop-by-hop')!.steps.find((s) => s.id === 'named-strict')!;
  const action = step.do!.find((a) => a.do === 'terminal')!;
  if (action.do !== 'terminal') throw new Error('no terminal action');
  const request = terminalRequest(action, { host: '127.0.0.1', ports: { ui: 8080, echo: 8089, proxy: 8090 }, session: 'abc', conn: 'c-1' });

  it('sends Host first, its own headers in order, then a version and a key, filed under the session and connection', () => {
    expect(request.url).toBe('http://127.0.0.1:8090/rfc9110-strict/echo?lab=abc&conn=c-1');
    expect(request.headers[0]).toEqual(['Host', '127.0.0.1:8090']);
    expect(request.headers.slice(1, 3)).toEqual([
      ['Connection', 'Upgrade, X-Lesson'],
      ['Upgrade', 'websocket'],
    ]);
    expect(request.headers.at(-2)).toEqual(['Sec-WebSocket-Version', '13']);
  });

  it('is a curl command a shell reads back as the same request', () => {
    const command = curlCommand(request);
    expect(command).toContain("-H 'Connection: Upgrade, X-Lesson'");
    expect(command).not.toContain('-H \'Host:');
    expect(command.endsWith("'http://127.0.0.1:8090/rfc9110-strict/echo?lab=abc&conn=c-1'")).toBe(true);
    expect(curlCommand({ ...request, headers: [['X-Quote', "it's"]] })).toContain(`-H 'X-Quote: it'\\''s'`);
  });
});
