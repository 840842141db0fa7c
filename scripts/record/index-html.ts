import type { Transcript } from '../../server/src/transcript/types.ts';
import { questionOf } from '../../web/src/lessons/index.ts';
import type { Lesson } from '../../web/src/lessons/types.ts';
import { currentAlias, fill, type LessonWorld } from '../../web/src/lessons/world.ts';
import type { StepResult } from './play.ts';

// The page that goes with a recorded lesson: what it answers, its files, and each step's narration
// (with the recorded connection's own values filled in), readable without the lab.

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface RecordedFiles {
  video: boolean;
  trace: boolean;
  transcript: boolean;
  /** Why transcript.har is missing, when it is. */
  harMissing?: string;
}

export function lessonPage(lesson: Lesson, world: LessonWorld, transcript: Transcript, steps: readonly StepResult[], files: RecordedFiles): string {
  const file = (name: string, present: boolean, what: string) =>
    present ? `<li><a href="${name}">${name}</a> — ${what}</li>` : `<li>${name} — not recorded</li>`;
  const narration = lesson.steps
    .map((step, i) => {
      const ran = steps[i];
      const refs = step.refs?.length ? `<p class="refs">${escape(step.refs.join(' · '))}</p>` : '';
      const status = ran ? `<p class="status">${escape(ran.status)} (${(ran.ms / 1000).toFixed(1)} s)</p>` : '<p class="status">not played</p>';
      return `<li><h3>${escape(step.title)}</h3><p>${escape(fill(step.say, world, currentAlias(lesson, i)))}</p>${refs}${status}</li>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(lesson.title)} — WebSocket Upgrade Lab recording</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; color: #111; }
video { width: 100%; max-width: 1280px; border: 1px solid #ccc; }
.question { color: #444; } .refs, .status { color: #555; font-size: 0.9rem; } code { background: #f3f3f3; padding: 0 0.2rem; }
</style>
</head>
<body>
<p class="question">${escape(questionOf(lesson).text)}</p>
<h1>${escape(lesson.title)}</h1>
<p>${escape(lesson.answer)}</p>
${files.video ? '<video src="video.webm" controls></video>' : ''}
<h2>Files</h2>
<ul>
${file('video.webm', files.video, 'the lesson played in Chromium at 1280×720')}
${file('trace.zip', files.trace, 'a Playwright trace: <code>npx playwright show-trace trace.zip</code>, or drop it on trace.playwright.dev')}
${file('transcript.json', files.transcript, `what every hop observed (session ${escape(transcript.session)}, ${transcript.connections.length} connection(s)); Open… in the lab shows it`)}
${files.harMissing ? `<li>transcript.har — not written: ${escape(files.harMissing)}</li>` : file('transcript.har', true, 'HAR 1.2 with the WebSocket messages (Chrome DevTools opens it)')}
</ul>
<h2>Steps</h2>
<ol>
${narration}
</ol>
</body>
</html>
`;
}

/** recordings/index.html: every lesson recorded in this folder. */
export function indexPage(entries: readonly { lesson: Lesson; ok: boolean }[]): string {
  const items = entries.map(({ lesson, ok }) => `<li><a href="${lesson.id}/index.html">${escape(lesson.title)}</a> — ${escape(lesson.shows)}${ok ? '' : ' <strong>(did not finish)</strong>'}</li>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>WebSocket Upgrade Lab — recorded lessons</title>
<style>body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }</style></head>
<body>
<h1>Recorded lessons</h1>
<ul>
${items}
</ul>
</body>
</html>
`;
}
