import { LessonsEntry } from '../lessons/LessonsEntry.tsx';

/** The first screen: what to do first, before any connection exists. */
export function StartHere() {
  return (
    <section className="connection-view start-here" aria-labelledby="start-heading">
      <h2 id="start-heading">Start here</h2>
      <LessonsEntry />
      <h3>Or explore on your own</h3>
      <ol className="start-steps">
        <li>
          Choose a <strong>Route</strong> above: straight to the echo server, or through a proxy that behaves like an nginx
          configuration (<span className="wire">nginx-default</span> is the one that breaks).
        </li>
        <li>
          Press <strong>Connect</strong>. The lab records the handshake, every frame and the close at every hop.
        </li>
        <li>Send a message from the composer, then read each hop in the Handshake, Frames, Close and Hops tabs.</li>
      </ol>
      <p className="hint">
        Any WebSocket client works too: connections without <span className="wire">lab=</span> in their URL go to the default session.
      </p>
    </section>
  );
}
