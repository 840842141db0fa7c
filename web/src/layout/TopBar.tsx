import type { LiveStatus } from '../api/live.ts';
import { ConnectBar } from '../features/connect/ConnectBar.tsx';
import { LessonsButton } from '../features/lessons/LessonsButton.tsx';
import { PresentButton } from '../features/follow/PresentButton.tsx';
import { NginxConfigButton } from '../features/nginx-config/NginxConfigButton.tsx';
import { SessionBar } from '../features/session/SessionBar.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';

/** One compact bar: connect on the left, the session and the theme on the right. */
export function TopBar({ session, live }: { session: string | null; live: LiveStatus }) {
  return (
    <header className="topbar">
      <h1 className="brand">
        <span aria-hidden="true" className="brand-mark">
          ⇅
        </span>{' '}
        <span className="brand-long">WebSocket </span>Upgrade Lab
      </h1>
      <ConnectBar />
      <div className="topbar-end">
        <LessonsButton />
        {session && <PresentButton />}
        <NginxConfigButton />
        {session && <SessionBar session={session} live={live} />}
        <ThemeToggle />
      </div>
    </header>
  );
}
