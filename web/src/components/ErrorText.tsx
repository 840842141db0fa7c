import type { ReactNode } from 'react';

/** A failure the user should read: role=alert so it is announced, and text that says what happened. */
export function ErrorText({ children }: { children: ReactNode }) {
  return (
    <p className="error" role="alert">
      <span className="badge badge-error">Error</span> {children}
    </p>
  );
}
