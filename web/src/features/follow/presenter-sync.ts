import { useEffect } from 'react';
import type { PresenterBoardState, PresenterState } from '../../../../server/src/api/types.ts';
import { ApiRequestError, errorMessage, postPresenter, stopPresenting } from '../../api/client.ts';
import { NO_FILTER } from '../messages/message-filter.ts';
import { replaceNextUrl } from '../navigation/use-url-sync.ts';
import { useLabStore, type LabState } from '../../store/index.ts';

// Presenter → lab → followers: the presenter's tab posts its view (`POST …/presenter`) whenever it
// changes, the lab says it on every follower's live stream (`event: presenter`), and a following
// tab puts its workbench there. Nothing runs in the follower: it shows the presenter's connections.

/** The view a presenter publishes: lesson, step, selection and what the step outlines. */
export function presenterStateOf(s: LabState): PresenterState {
  const p = s.lessonProgress;
  return {
    lesson: p && { id: p.lesson, step: p.step, ran: p.ran, connections: p.connections },
    view: s.mainView,
    conn: s.selectedConnection,
    tab: s.activeTab,
    frame: s.selectedFrame,
    hop: s.selectedHop,
    left: s.compare.left,
    right: s.compare.right,
    mark: s.lessonMark && Object.keys(s.lessonMark).length > 0 ? { ...s.lessonMark } : null,
  };
}

/** Puts this tab's workbench where the presenter's is, in one store update (the URL replaced, not pushed). */
export function applyPresenterState(state: PresenterState): void {
  const s = useLabStore.getState();
  const progress = state.lesson && { lesson: state.lesson.id, step: state.lesson.step, ran: state.lesson.ran, connections: state.lesson.connections };
  const otherLesson = s.lessonProgress?.lesson !== progress?.lesson;
  const same = s.selectedConnection === state.conn;
  // One update, so the follower's URL is replaced once rather than stacking history entries.
  replaceNextUrl();
  useLabStore.setState({
    lessonProgress: progress,
    ...(otherLesson ? { lessonRuns: {} } : {}),
    mainView: state.view,
    selectedConnection: state.conn,
    activeTab: state.tab,
    selectedFrame: state.frame,
    frameRowSelected: false,
    selectedHop: state.hop,
    compare: { ...s.compare, left: state.left, right: state.right },
    lessonMark: state.mark,
    ...(same ? {} : { expanded: [], messageFilter: NO_FILTER }),
  });
}

let latest: PresenterBoardState | null = null;

/** `event: presenter` on the live stream. */
export function receivePresenter(board: PresenterBoardState): void {
  if (latest && board.version < latest.version) return;
  latest = board;
  const s = useLabStore.getState();
  s.setPresenterLive(board.state !== null);
  if (s.follow === 'following' && board.state) applyPresenterState(board.state);
}

/** Follow the presenter again after detaching: straight to where they are now. */
export function followAgain(): void {
  useLabStore.getState().setFollow('following');
  if (latest?.state) applyPresenterState(latest.state);
}

/** Sets or clears a flag parameter of the page URL (`follow`, `present`) in place. */
export function setUrlFlag(name: string, on: boolean): void {
  const params = new URLSearchParams(window.location.search);
  if (on === params.has(name)) return;
  if (on) params.set(name, '1');
  else params.delete(name);
  const query = params.toString();
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`);
}

/** A join link (`?follow=1`) opens following; `?present=1` reopens presenter mode after a reload. */
export function restoreFollowFromUrl(): void {
  const params = new URLSearchParams(window.location.search);
  const s = useLabStore.getState();
  if (params.has('present')) s.setPresenting(true);
  else if (params.has('follow')) s.setFollow('following');
}

/** The link a follower opens: this session, following. */
export function joinLink(session: string): string {
  return `${window.location.origin}${window.location.pathname}?session=${encodeURIComponent(session)}&follow=1`;
}

/**
 * While this tab presents: publishes its view on every change, one request at a time with the
 * latest view (a burst of changes is one post after the one in flight). Leaving presenter mode
 * stops presenting in the lab, so followers see that nobody presents.
 */
export function usePresenterPublish(session: string | null): void {
  const presenting = useLabStore((s) => s.presenting);
  useEffect(() => {
    setUrlFlag('present', presenting);
    if (!presenting || !session) return;
    let sent = '';
    let inFlight = false;
    let takeOver = true; // pressing Present takes the session over from any other tab
    let stopped = false;
    const publish = () => {
      if (stopped || inFlight) return;
      const state = presenterStateOf(useLabStore.getState());
      const text = JSON.stringify(state);
      if (text === sent) return;
      inFlight = true;
      sent = text;
      postPresenter(session, state, takeOver).then(
        () => {
          takeOver = false;
          inFlight = false;
          publish();
        },
        (error: unknown) => {
          inFlight = false;
          if (stopped) return;
          const s = useLabStore.getState();
          if (error instanceof ApiRequestError && error.status === 409) {
            s.setPresenting(false);
            s.setPresenterNotice('Another tab took over presenting this session: this tab stopped presenting. Press Present to take it back.');
          } else s.setPresenterNotice(`Followers may not see this view: ${errorMessage(error)}`);
        },
      );
    };
    publish();
    const unsubscribe = useLabStore.subscribe(publish);
    // Closing the tab stops presenting too (a keepalive request outlives the page), so followers
    // are told rather than left on a view that no longer moves.
    const onPageHide = () => void stopPresenting(session, true).catch(() => {});
    window.addEventListener('pagehide', onPageHide);
    return () => {
      stopped = true;
      unsubscribe();
      window.removeEventListener('pagehide', onPageHide);
      if (useLabStore.getState().presenterNotice === null) void stopPresenting(session).catch(() => {});
    };
  }, [presenting, session]);
}

/** Keeps `?follow=1` in the URL only while following: a detached tab reloads as itself. */
export function useFollowFlag(): void {
  const follow = useLabStore((s) => s.follow);
  useEffect(() => setUrlFlag('follow', follow === 'following'), [follow]);
}
