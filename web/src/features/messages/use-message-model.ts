import { useEffect, useMemo } from 'react';
import type { Connection, Party } from '../../../../server/src/transcript/types.ts';
import { PARTY_ORDER } from '../../components/format.ts';
import { AllMessages, compileFilter, FilteredMessages, filterKey, isFiltering, type MessageFilter, type MessageView } from './message-filter.ts';
import { MessageModel } from './message-model.ts';

/** Models of the connections looked at lately; a few, so memory stays bounded however many are opened. */
const models = new Map<string, MessageModel>();
const KEEP = 4;

function modelFor(id: string): MessageModel {
  let model = models.get(id);
  if (model) {
    models.delete(id);
  } else {
    model = new MessageModel();
    if (models.size >= KEEP) models.delete(models.keys().next().value!);
  }
  models.set(id, model);
  return model;
}

/**
 * The connection's messages, brought up to date with its events (only the new ones are read).
 * `version` changes whenever the model did, so memoised children know to draw again.
 */
export function useMessageModel(connection: Connection): { model: MessageModel; version: number } {
  const model = modelFor(connection.id);
  model.sync(connection.events);
  return { model, version: model.version };
}

/**
 * Decodes the text of messages not shown yet in idle time, so a search finds it ready and a live
 * flush never waits on it.
 */
export function useIdleDecoding(model: MessageModel, version: number): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A task of a few ms after each flush, not an idle callback: on a busy machine idle time may
    // never come, and then the first search would pay for everything at once.
    const run = () => {
      if (!model.decodeUntil(performance.now() + DECODE_SLICE_MS)) timer = setTimeout(run, 0);
    };
    timer = setTimeout(run, 0);
    return () => clearTimeout(timer);
  }, [model, version]);
}

const DECODE_SLICE_MS = 4;

/** The messages the filter lets through, kept incrementally; a new filter starts its own view. */
export function useMessageView(model: MessageModel, version: number, filter: MessageFilter): { view: MessageView; error?: string } {
  const key = filterKey(filter);
  const built = useMemo(() => {
    if (!isFiltering(filter)) return { view: new AllMessages(model) as MessageView };
    const compiled = compileFilter(filter);
    if ('error' in compiled) return { view: new AllMessages(model) as MessageView, error: compiled.error };
    return { view: new FilteredMessages(model, compiled.match) as MessageView };
    // `key` says everything the filter does.
  }, [model, key]);
  if (built.view instanceof FilteredMessages) built.view.sync();
  void version;
  return built;
}

/** Left to right the way a message went: the parties of the route, in the message's direction. */
export function routeParties(connection: Connection, observed: Iterable<Party>): Party[] {
  const present = new Set<Party>(['browser', 'echo', ...observed]);
  if (connection.route !== 'direct') present.add(connection.route);
  return PARTY_ORDER.filter((p) => present.has(p));
}
