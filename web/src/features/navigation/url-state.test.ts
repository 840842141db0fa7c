import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, isNavigation, readView, writeView } from './url-state.ts';

describe('the page URL as a view', () => {
  it('round-trips session, connection, tab, frame and filters', () => {
    const view = {
      ...DEFAULT_VIEW,
      session: 'abc',
      conn: 'c-1',
      tab: 'frames' as const,
      frame: 42,
      filter: { direction: 'in' as const, opcode: '1', hop: 'observer:echo', search: 'hello world', regex: true },
    };
    const query = writeView(view);
    expect(query).toBe('?session=abc&conn=c-1&tab=frames&frame=42&q=hello+world&regex=1&dir=in&opcode=1&seen=observer%3Aecho');
    expect(readView(query)).toEqual(view);
  });

  it('keeps the selection of the tab shown only, and defaults out of the URL', () => {
    expect(writeView({ ...DEFAULT_VIEW, session: 's', conn: 'c', tab: 'hops', frame: 3, hop: 'request-5' })).toBe('?session=s&conn=c&tab=hops&hop=request-5');
    expect(writeView({ ...DEFAULT_VIEW, session: 's' })).toBe('?session=s');
    expect(writeView({ ...DEFAULT_VIEW, session: 's', view: 'compare', left: 'a', right: 'b', conn: 'c' })).toBe('?session=s&view=compare&left=a&right=b');
  });

  it('keeps parameters it does not own, and reads nonsense as the default', () => {
    expect(writeView({ ...DEFAULT_VIEW, session: 's' }, '?perf=1&session=old')).toBe('?session=s&perf=1');
    expect(readView('?tab=nope&frame=x&dir=up&opcode=text')).toEqual(DEFAULT_VIEW);
  });

  it('calls a new connection or tab navigation, and a new frame not', () => {
    const a = { ...DEFAULT_VIEW, session: 's', conn: 'c', tab: 'frames' as const };
    expect(isNavigation(a, { ...a, frame: 7 })).toBe(false);
    expect(isNavigation(a, { ...a, tab: 'close' })).toBe(true);
    expect(isNavigation(a, { ...a, conn: 'd' })).toBe(true);
  });
});
