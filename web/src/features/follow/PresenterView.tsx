import type { ReactNode } from 'react';
import { LessonPlayer } from '../lessons/LessonPlayer.tsx';
import { useLabStore } from '../../store/index.ts';
import { JoinPanel } from './JoinPanel.tsx';

/**
 * Presenter mode: the sidebar and the inspector are hidden; the lesson's step fills the left of the
 * screen in large type (one step per screen), the workbench's main view the right, readable from the
 * back of a room at 1280×720. The join link and its QR code are a click away.
 */
export function PresenterView({ session, center }: { session: string; center: ReactNode }) {
  const lesson = useLabStore((s) => s.lessonProgress);
  const setMainView = useLabStore((s) => s.setMainView);
  return (
    <main className="presenter-view" aria-label="Presenter view">
      <section className="presenter-column" aria-label="Presenter step">
        {lesson ? (
          <LessonPlayer session={session} progress={lesson} variant="presenter" />
        ) : (
          <div className="presenter-empty">
            <h2>Presenter mode</h2>
            <p>Pick a lesson to present; students who open the join link follow each step.</p>
            <button type="button" className="primary" onClick={() => setMainView('lessons')}>
              Choose a lesson
            </button>
          </div>
        )}
        <details className="presenter-join" open={!lesson}>
          <summary>Invite followers: join link and QR code</summary>
          <JoinPanel session={session} qrSize={lesson ? 160 : 220} />
        </details>
      </section>
      <div className="center presenter-center" id="main-pane">
        {center}
      </div>
    </main>
  );
}
