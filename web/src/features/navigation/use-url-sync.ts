import { useEffect } from 'react';
import { lessonById } from '../../lessons/index.ts';
import { clampStep, ranFromLink } from '../../lessons/progress.ts';
import { useLabStore, type LabState } from '../../store/index.ts';
import { isNavigation, readView, writeView, type ViewState } from './url-state.ts';

/** The view the store holds, as the page URL says it. */
function viewOf(s: LabState): ViewState {
  return {
    session: s.sessionId,
    conn: s.selectedConnection,
    tab: s.activeTab,
    frame: s.selectedFrame,
    hop: s.selectedHop,
    view: s.mainView,
    left: s.compare.left,
    right: s.compare.right,
    filter: s.messageFilter,
    lesson: s.lessonProgress && { id: s.lessonProgress.lesson, step: s.lessonProgress.step, connections: s.lessonProgress.connections },
  };
}

/** The lesson a link names, played from where it points; the same lesson keeps what this page already ran. */
function applyLesson(view: ViewState): void {
  const s = useLabStore.getState();
  const lesson = lessonById(view.lesson?.id);
  if (!view.lesson || !lesson) {
    if (s.lessonProgress) s.setLessonProgress(null);
    return;
  }
  const step = clampStep(lesson, view.lesson.step);
  const same = s.lessonProgress?.lesson === lesson.id ? s.lessonProgress : null;
  const connections = { ...same?.connections, ...view.lesson.connections };
  s.setLessonProgress({ lesson: lesson.id, step, connections, ran: same ? same.ran : ranFromLink(lesson, step, connections) });
}

/** Puts the store where a URL says: session first (a new session clears the selection), then the rest. */
export function applyView(view: ViewState): void {
  const s = useLabStore.getState();
  if (view.session && view.session !== s.sessionId) s.setSession(view.session);
  const same = useLabStore.getState().selectedConnection === view.conn;
  useLabStore.setState({
    selectedConnection: view.conn,
    activeTab: view.tab,
    selectedFrame: view.frame,
    selectedHop: view.hop,
    mainView: view.view,
    compare: { ...useLabStore.getState().compare, left: view.left, right: view.right },
    messageFilter: view.filter,
    ...(same ? {} : { expanded: [] }),
  });
  applyLesson(view);
}

/** Reads the page URL into the store; call before the first render so a link opens where it points. */
export function restoreFromUrl(): void {
  applyView(readView(window.location.search));
}

let replaceNext = false;
/** The next URL change replaces the history entry: for selections the page made by itself, not the user. */
export function replaceNextUrl(): void {
  replaceNext = true;
}

/**
 * Keeps the page URL and the store in step: every change of session, connection, tab, view,
 * selected frame or hop, and filter is in the URL (a new session, connection, tab or view as a
 * history entry of its own, the rest in place), and Back and Forward restore the view.
 */
export function useUrlSync(): void {
  useEffect(() => {
    let last = viewOf(useLabStore.getState());
    const write = (state: LabState) => {
      const view = viewOf(state);
      const query = writeView(view, window.location.search);
      if (query === window.location.search) {
        last = view;
        return;
      }
      const url = `${window.location.pathname}${query}${window.location.hash}`;
      const push = isNavigation(last, view) && last.session !== null && !replaceNext;
      replaceNext = false;
      if (push) window.history.pushState(null, '', url);
      else window.history.replaceState(window.history.state, '', url);
      last = view;
    };
    write(useLabStore.getState());
    const unsubscribe = useLabStore.subscribe(write);
    const onPop = () => {
      const view = readView(window.location.search);
      last = view;
      applyView(view);
    };
    window.addEventListener('popstate', onPop);
    return () => {
      unsubscribe();
      window.removeEventListener('popstate', onPop);
    };
  }, []);
}
