import { formatConnections, parseConnections } from '../../lessons/progress.ts';
import { NO_FILTER, type MessageFilter } from '../messages/message-filter.ts';
import { CONNECTION_TABS, type ConnectionTab, type MainView } from '../../store/index.ts';

/** A lesson being played, as a link carries it: which one, the step shown (from 0), each alias's connection. */
export interface LessonView {
  id: string;
  step: number;
  connections: Record<string, string>;
}

/** Everything a link to the lab restores: what is looked at, and how the Frames list is filtered. */
export interface ViewState {
  session: string | null;
  conn: string | null;
  tab: ConnectionTab;
  /** The selected frame's seq. */
  frame: number | null;
  /** The selected arrow of the Hops tab. */
  hop: string | null;
  view: MainView;
  left: string | null;
  right: string | null;
  filter: MessageFilter;
  lesson: LessonView | null;
}

export const DEFAULT_VIEW: ViewState = {
  session: null,
  conn: null,
  tab: 'handshake',
  frame: null,
  hop: null,
  view: 'connection',
  left: null,
  right: null,
  filter: NO_FILTER,
  lesson: null,
};

/** Parameter names, in the order a URL lists them. Unknown parameters (`perf`) are kept as they are. */
const NAMES = ['session', 'lesson', 'step', 'lc', 'conn', 'tab', 'frame', 'hop', 'view', 'left', 'right', 'q', 'regex', 'dir', 'opcode', 'seen'] as const;

const seqOf = (text: string | null) => (text !== null && /^\d+$/.test(text) ? Number(text) : null);

/** What a page URL's query says; anything missing or malformed is the default. */
export function readView(search: string): ViewState {
  const p = new URLSearchParams(search);
  const tab = p.get('tab');
  const dir = p.get('dir');
  const opcode = p.get('opcode');
  const view = p.get('view');
  const lesson = p.get('lesson');
  const step = seqOf(p.get('step'));
  return {
    session: p.get('session') || null,
    conn: p.get('conn') || null,
    tab: CONNECTION_TABS.includes(tab as ConnectionTab) ? (tab as ConnectionTab) : DEFAULT_VIEW.tab,
    frame: seqOf(p.get('frame')),
    hop: p.get('hop') || null,
    view: view === 'compare' || view === 'lessons' ? view : 'connection',
    left: p.get('left') || null,
    right: p.get('right') || null,
    filter: {
      direction: dir === 'out' || dir === 'in' ? dir : 'all',
      opcode: opcode !== null && /^\d+$/.test(opcode) ? opcode : 'all',
      hop: p.get('seen') || 'all',
      search: p.get('q') ?? '',
      regex: p.get('regex') === '1',
    },
    lesson: lesson ? { id: lesson, step: step === null || step < 1 ? 0 : step - 1, connections: parseConnections(p.get('lc')) } : null,
  };
}

/** The query for `view`, defaults left out, with any other parameters of `search` kept after them. */
export function writeView(view: ViewState, search = ''): string {
  const p = new URLSearchParams();
  const put = (name: (typeof NAMES)[number], value: string | number | null | undefined, fallback?: string) => {
    if (value === null || value === undefined || value === '' || String(value) === fallback) return;
    p.set(name, String(value));
  };
  put('session', view.session);
  if (view.lesson) {
    put('lesson', view.lesson.id);
    put('step', view.lesson.step + 1);
    put('lc', formatConnections(view.lesson.connections));
  }
  if (view.view === 'lessons') put('view', 'lessons');
  else if (view.view === 'compare') {
    put('view', 'compare');
    put('left', view.left);
    put('right', view.right);
  } else {
    put('conn', view.conn);
    put('tab', view.tab, DEFAULT_VIEW.tab);
    if (view.tab === 'frames') put('frame', view.frame);
    if (view.tab === 'hops') put('hop', view.hop);
    if (view.tab === 'frames') {
      put('q', view.filter.search);
      if (view.filter.regex && view.filter.search) put('regex', '1');
      put('dir', view.filter.direction, 'all');
      put('opcode', view.filter.opcode, 'all');
      put('seen', view.filter.hop, 'all');
    }
  }
  for (const [name, value] of new URLSearchParams(search)) {
    if (!(NAMES as readonly string[]).includes(name)) p.append(name, value);
  }
  const query = p.toString();
  return query ? `?${query}` : '';
}

/** A change a user would want Back to undo: another session, connection, tab, view or lesson step (not each frame selected). */
export function isNavigation(a: ViewState, b: ViewState): boolean {
  return a.session !== b.session || a.conn !== b.conn || a.tab !== b.tab || a.view !== b.view || a.lesson?.id !== b.lesson?.id || a.lesson?.step !== b.lesson?.step;
}
