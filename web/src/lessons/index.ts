// The catalogue: every lesson, grouped by the question it answers, in the order a newcomer
// asks them. The UI lists it; e2e/lessons.spec.ts plays every lesson from it.
import { acceptByHandLesson, directConnection } from './library/basics.ts';
import { frameFaults, reservedFaults } from './library/frames.ts';
import { handshakeFaults, subprotocols } from './library/handshake.ts';
import { hopByHop, originBehindHost } from './library/headers.ts';
import { heartbeatVsIdle, idleTimeout } from './library/idle.ts';
import { clientCloseCodes, permessageDeflate } from './library/messages.ts';
import { directVsProxy, nginxDefault, nginxMissingConnection, nginxWebsocket } from './library/nginx.ts';
import { realNginx, strictMode } from './library/real-nginx.ts';
import { forwardProxy, wsVsWss } from './library/tunnel.ts';
import { http1VsHttp2 } from './library/http2.ts';
import { connect443Only, httpOnly, tlsOnly } from './library/corporate.ts';
import type { Lesson, Question, QuestionId } from './types.ts';

export type * from './types.ts';

export const QUESTIONS: readonly Question[] = [
  { id: 'fails-behind-nginx', text: 'Why does my WebSocket fail behind nginx?' },
  { id: 'upgrade-token', text: "What does “'upgrade' token not found in 'Connection' header” mean?" },
  { id: 'forbidden-behind-proxy', text: 'Why 403 only behind the proxy?' },
  { id: 'drops-when-idle', text: 'Why does it drop after 60 seconds idle?' },
  { id: 'hop-by-hop', text: 'What are hop-by-hop headers?' },
  { id: 'connect-tunnel', text: 'How does a proxy tunnel with CONNECT?' },
  { id: 'corporate-proxy', text: 'Why does my WebSocket fail behind a corporate proxy?' },
  { id: 'what-is-upgrade', text: 'What happens when a browser opens a WebSocket?' },
  { id: 'handshake-error', text: 'What does “Error during WebSocket handshake” mean?' },
  { id: 'closed-1006', text: 'Why did it close with 1006?' },
  { id: 'http10-upgrade', text: 'Why does a strict server answer 400 behind nginx?' },
  { id: 'compression', text: 'Are my messages compressed?' },
  { id: 'close-codes', text: 'Why does close() throw?' },
];

export const LESSONS: readonly Lesson[] = [
  nginxDefault,
  nginxWebsocket,
  directVsProxy,
  realNginx,
  nginxMissingConnection,
  originBehindHost,
  idleTimeout,
  heartbeatVsIdle,
  hopByHop,
  forwardProxy,
  wsVsWss,
  connect443Only,
  tlsOnly,
  httpOnly,
  directConnection,
  acceptByHandLesson,
  http1VsHttp2,
  handshakeFaults,
  subprotocols,
  frameFaults,
  reservedFaults,
  strictMode,
  permessageDeflate,
  clientCloseCodes,
];

export function lessonById(id: string | null | undefined): Lesson | undefined {
  return id ? LESSONS.find((l) => l.id === id) : undefined;
}

export function questionOf(lesson: Lesson): Question {
  return QUESTIONS.find((q) => q.id === lesson.question)!;
}

/** The catalogue: each question with its lessons, in order; questions without a lesson are left out. */
export function catalogue(): { question: Question; lessons: Lesson[] }[] {
  return QUESTIONS.map((question) => ({ question, lessons: LESSONS.filter((l) => l.question === question.id) })).filter((g) => g.lessons.length > 0);
}

export const questionById = (id: QuestionId): Question | undefined => QUESTIONS.find((q) => q.id === id);
