import type { LabInfo } from '../../../../server/src/api/types.ts';
import { assertNever } from '../../../../server/src/shared/assert.ts';
import { errorMessage } from '../../api/client.ts';
import { postRecordedAction } from '../scenario/action-log.ts';
import { lessonById } from '../../lessons/index.ts';
import type { StepOutcome } from '../../lessons/evaluate.ts';
import type { Action, ConnectOptions, Lesson } from '../../lessons/types.ts';
import { aliasesCreatedBy, currentAlias, durationMs, fill, type LessonWorld } from '../../lessons/world.ts';
import { newConnectionId } from '../../store/connect-form-slice.ts';
import { useLabStore, type ConnectForm } from '../../store/index.ts';
import { runCompare } from '../compare/run-compare.ts';
import { closeFromPage, sendTextFromPage } from '../composer/page-actions.ts';
import { browserSocket } from '../connect/browser-sockets.ts';
import { connectWithForm } from '../connect/open-from-form.ts';
import { routeOptions } from '../connect/url.ts';
import { needsNginxText } from './needs.ts';

// Plays a lesson's steps in the real lab, with the same calls the workbench's own buttons make:
// the connect form, Connect, the composer, the echo server's actions, the Compare run.

export interface RunContext {
  info: LabInfo;
  session: string;
  /** The lesson's world now (aliases resolved against the live transcript). */
  world: () => LessonWorld;
}

/** Bumped to cancel what is running: leaving the lesson, starting another. */
let generation = 0;
export function cancelLessonRuns(): void {
  generation++;
}

class Cancelled extends Error {}

const store = () => useLabStore.getState();
const phaseOf = (conn: string) => store().sockets[conn]?.phase;

async function waitFor(ok: () => boolean, ms: number, mine: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (mine !== generation) throw new Cancelled();
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** The connect form as a lesson's `choose` sets it: every option given, the rest back to its default. */
function formFor(route: string, o: ConnectOptions, ctx: RunContext): ConnectForm {
  const world = ctx.world();
  return {
    route,
    subprotocols: o.subprotocols ?? '',
    serverAcceptsProtocols: o.serverAcceptsProtocols ?? true,
    deflate: o.deflate ?? false,
    heartbeat: o.heartbeat === undefined ? '' : String(durationMs(o.heartbeat, world.idleTimeoutMs)),
    origin: o.origin === undefined ? '' : fill(o.origin, world),
    strict: o.strict ?? false,
    fault: o.fault ?? '',
  };
}

/** The connection an action acts on: the one it names, else the latest one opened before it. */
function connOf(latest: string | undefined, alias: string | undefined): string {
  const name = alias ?? latest;
  const conn = name === undefined ? undefined : store().lessonProgress?.connections[name];
  if (!conn) throw new Error(`This step acts on ${name ?? 'a connection'}, which has not been opened in this session: start the lesson from its first step.`);
  return conn;
}

async function act(a: Action, latest: string | undefined, step: number, ctx: RunContext, mine: number): Promise<StepOutcome> {
  const note = (message: string) => store().setStepRun(step, { phase: 'running', message });
  const idle = ctx.world().idleTimeoutMs;
  switch (a.do) {
    case 'choose': {
      const option = routeOptions(ctx.info).find((o) => o.key === a.route);
      if (!option) throw new Error(`This lab has no route ${a.route}.`);
      if (option.unavailable !== undefined) throw new Error(a.route.startsWith('nginx:') ? needsNginxText(ctx.info) : option.unavailable);
      store().setConnectForm(formFor(a.route, a.options ?? {}, ctx));
      return {};
    }
    case 'connect': {
      const conn = store().nextConnectionId;
      store().setLessonConnection(a.as, conn);
      note(`Connecting ${a.as} (${conn})…`);
      await connectWithForm(ctx.info, ctx.session);
      await waitFor(() => phaseOf(conn) === 'open' || phaseOf(conn) === 'closed', 10_000, mine);
      return {};
    }
    case 'send': {
      const conn = connOf(latest, a.on);
      store().setComposer({ text: a.text });
      const ws = browserSocket(conn);
      const echoed = new Promise<void>((resolve) => {
        ws?.addEventListener('message', () => resolve(), { once: true });
        setTimeout(resolve, 2_000);
      });
      if (sendTextFromPage(conn, a.text)) await echoed;
      return {};
    }
    case 'server': {
      const conn = connOf(latest, a.on);
      note(`Asking the echo server to ${a.action.action}…`);
      try {
        await postRecordedAction(ctx.session, conn, a.action);
        store().setComposerNotice({ tone: 'info', text: `Asked the echo server to ${a.action.action} on ${conn}.` });
      } catch (error) {
        throw new Error(`The echo server could not ${a.action.action}: ${errorMessage(error)}`);
      }
      if (a.action.action === 'close' || a.action.action === 'terminate') await waitFor(() => phaseOf(conn) === 'closed', 5_000, mine);
      return {};
    }
    case 'close': {
      const conn = connOf(latest, a.on);
      store().setComposer({ clientCloseCode: String(a.code), clientCloseReason: a.reason });
      const outcome = closeFromPage(conn, a.code, a.reason);
      if (outcome.refused === undefined) await waitFor(() => phaseOf(conn) === 'closed', 5_000, mine);
      return outcome;
    }
    case 'wait': {
      if ('ms' in a) {
        const ms = durationMs(a.ms, idle);
        note(`Waiting ${(ms / 1000).toFixed(1)} s…`);
        await waitFor(() => false, ms, mine);
        return {};
      }
      const conn = connOf(latest, a.on);
      const ms = durationMs(a.within, idle);
      note(`Waiting up to ${(ms / 1000).toFixed(1)} s for ${conn} to close…`);
      await waitFor(() => phaseOf(conn) === 'closed', ms, mine);
      return {};
    }
    case 'compare-run': {
      note('Running the same exchange on both routes…');
      store().setMainView('compare');
      await runCompare(ctx.session, ctx.info, a.through, a.message);
      const { left, right, error } = store().compare;
      if (error) throw new Error(error);
      if (left) store().setLessonConnection(a.as[0], left);
      if (right) store().setLessonConnection(a.as[1], right);
      return {};
    }
    case 'terminal':
      // The command is shown with the step; its observations wait for the request to arrive.
      store().setLessonConnection(a.as, newConnectionId());
      return {};
    default:
      return assertNever(a, 'action');
  }
}

/** Runs the actions of every step not yet run, up to and including `target`, in order. */
export async function runStepsUpTo(target: number, ctx: RunContext): Promise<void> {
  const mine = generation;
  const progress = store().lessonProgress;
  const lesson = lessonById(progress?.lesson);
  if (!progress || !lesson) return;
  for (let i = progress.ran; i <= Math.min(target, lesson.steps.length - 1); i++) {
    if (mine !== generation) return;
    store().setStepRun(i, { phase: 'running', message: 'Running…' });
    const outcome: StepOutcome = {};
    try {
      let latest = i === 0 ? undefined : currentAlias(lesson, i - 1);
      for (const action of lesson.steps[i]!.do ?? []) {
        Object.assign(outcome, await act(action, latest, i, ctx, mine));
        latest = aliasesCreatedBy(action).pop() ?? latest;
      }
    } catch (error) {
      if (error instanceof Cancelled || mine !== generation) return;
      store().setStepRun(i, { phase: 'error', message: errorMessage(error) });
      return;
    }
    if (mine !== generation) return;
    store().setStepRun(i, { phase: 'done', doneAt: Date.now(), outcome });
    const now = store().lessonProgress;
    if (now?.lesson === lesson.id) store().setLessonProgress({ ...now, ran: i + 1 });
  }
}
