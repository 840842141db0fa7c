import type { HeaderList } from '../../../../server/src/transcript/types.ts';
import { hopByHopNames } from '../handshake/hop-by-hop.ts';

/**
 * What happened to one header between two hops of the same message.
 * `reordered`: same name and value, but its place among the headers both hops share changed.
 */
export type HeaderChange = 'unchanged' | 'reordered' | 'changed' | 'added' | 'removed';

export interface HeaderDiffRow {
  /** The name as the later hop wrote it (as the earlier one did, when removed). */
  name: string;
  before?: string;
  after?: string;
  /** The name as the earlier hop wrote it, when only its case differs. */
  beforeName?: string;
  change: HeaderChange;
  /** Its place among the shared headers changed (also set when its value changed too). */
  reordered: boolean;
  /** RFC 9110 §7.6.1: connection-specific, on either side. */
  hopByHop: boolean;
  /**
   * Through a proxy, a hop-by-hop header on both sides: re-created when the proxy wrote it
   * anew (another value, case or place — nginx's proxy_set_header puts its own first);
   * forwarded when it passed untouched, which RFC 9110 §7.6.1 says a proxy must not do.
   */
  proxy?: 're-created' | 'forwarded';
  /** Its value differs by design (a new Sec-WebSocket-Key per connection): not a difference to look at. */
  byDesign?: boolean;
}

export interface DiffOptions {
  /** The two heads are what one proxy received and what it sent on: say what it did with hop-by-hop headers. */
  throughProxy?: boolean;
  /** Lower-case names whose values always differ between two connections (compare: `sec-websocket-key`). */
  differByDesign?: readonly string[];
}

/** Two connections never share a Sec-WebSocket-Key: each handshake sends a fresh random one (RFC 6455 §4.1). */
export const NEW_PER_CONNECTION: readonly string[] = ['sec-websocket-key'];

interface Keyed {
  key: string;
  name: string;
  value: string;
  index: number;
}

/** `name#n`: the n-th header of that name (case-insensitive), so duplicates pair up in order. */
function keyed(headers: HeaderList): Keyed[] {
  const seen = new Map<string, number>();
  return headers.map(([name, value], index) => {
    const lower = name.toLowerCase();
    const n = seen.get(lower) ?? 0;
    seen.set(lower, n + 1);
    return { key: `${lower}#${n}`, name, value, index };
  });
}

/**
 * Keys of the heaviest common subsequence of two key sequences: the headers that kept their
 * relative order. Weights break ties between equally long orders, so that the headers a proxy
 * plainly forwarded (same name and value, end-to-end) anchor the order and the ones it wrote
 * itself are the ones called reordered.
 */
function inOrder(a: string[], b: string[], weight: (key: string) => number): Set<string> {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const skip = Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
      table[i]![j] = a[i] === b[j] ? Math.max(skip, table[i + 1]![j + 1]! + weight(a[i]!)) : skip;
    }
  }
  const kept = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j] && table[i]![j] === table[i + 1]![j + 1]! + weight(a[i]!)) {
      kept.add(a[i]!);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return kept;
}

/**
 * Headers removed, added, reordered or changed between two hops, in the later hop's order, each
 * removed header placed after the one that preceded it on the earlier hop.
 */
export function diffHeaders(before: HeaderList, after: HeaderList, options: DiffOptions = {}): HeaderDiffRow[] {
  const a = keyed(before);
  const b = keyed(after);
  const aByKey = new Map(a.map((h) => [h.key, h]));
  const hop = new Set([...hopByHopNames(before), ...hopByHopNames(after)]);
  const isHop = (name: string) => hop.has(name.toLowerCase());
  const bByKey = new Map(b.map((h) => [h.key, h]));
  const forwardedAsIs = (key: string) => {
    const [x, y] = [aByKey.get(key)!, bByKey.get(key)!];
    return x.name === y.name && x.value === y.value && !isHop(x.name);
  };
  const shared = inOrder(
    a.filter((h) => bByKey.has(h.key)).map((h) => h.key),
    b.filter((h) => aByKey.has(h.key)).map((h) => h.key),
    (key) => (forwardedAsIs(key) ? 1000 : 1),
  );

  const rows = new Map<string, HeaderDiffRow>();
  for (const h of b) {
    const old = aByKey.get(h.key);
    const hopByHop = isHop(h.name);
    if (!old) {
      rows.set(h.key, { name: h.name, after: h.value, change: 'added', reordered: false, hopByHop });
      continue;
    }
    const reordered = !shared.has(h.key);
    const changed = old.value !== h.value || old.name !== h.name;
    const row: HeaderDiffRow = {
      name: h.name,
      before: old.value,
      after: h.value,
      change: changed ? 'changed' : reordered ? 'reordered' : 'unchanged',
      reordered,
      hopByHop,
    };
    if (options.throughProxy && hopByHop) row.proxy = changed || reordered ? 're-created' : 'forwarded';
    if (changed && old.name === h.name && options.differByDesign?.includes(h.name.toLowerCase())) row.byDesign = true;
    if (old.name !== h.name) row.beforeName = old.name;
    rows.set(h.key, row);
  }

  // Removed headers go after the nearest earlier header that survived, or first.
  const order = b.map((h) => h.key);
  for (const h of a) {
    if (bByKey.has(h.key)) continue;
    const anchor = a.slice(0, h.index).reverse().find((p) => rows.has(p.key));
    const at = anchor ? order.indexOf(anchor.key) + 1 : 0;
    order.splice(at, 0, h.key);
    rows.set(h.key, { name: h.name, before: h.value, change: 'removed', reordered: false, hopByHop: isHop(h.name) });
  }
  return order.map((key) => rows.get(key)!);
}

/** Other words for "added" and "removed", when the two sides are not hops in a row (compare: "only right"). */
export type ChangeWords = Partial<Record<'added' | 'removed', string>>;

/** The change in words, as the diff table's "Change" column says it. */
export function describeChange(row: HeaderDiffRow, words: ChangeWords = {}): string {
  const parts: string[] = [];
  if (row.proxy === 're-created') parts.push('re-created by the proxy');
  if (row.proxy === 'forwarded') parts.push('forwarded by the proxy, though hop-by-hop');
  if (row.change === 'added' || row.change === 'removed') parts.push(words[row.change] ?? row.change);
  if (row.byDesign) parts.push('new for every connection (RFC 6455 §4.1), so not a difference');
  else if (row.change === 'changed' && row.before !== row.after) parts.push('value changed');
  if (row.beforeName !== undefined) parts.push(`name was ${row.beforeName}`);
  if (row.reordered) parts.push('reordered');
  if (parts.length === 0) parts.push('unchanged');
  return parts.join(', ');
}

/** Whether anything at all changed: the rows a reader should look at. */
export function isDifference(row: HeaderDiffRow): boolean {
  if (row.byDesign) return row.reordered || row.proxy !== undefined;
  return row.change !== 'unchanged' || row.proxy !== undefined;
}
