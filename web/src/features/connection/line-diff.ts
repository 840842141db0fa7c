/** One line of a diff: kept, removed from the first text, or added in the second. */
export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

/**
 * Line diff by longest common subsequence, in the order of the second text with each removed
 * line just before the line that replaced it: how `diff -u` reads. Configs are a few dozen
 * lines, so the quadratic table is nothing.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (j >= b.length || (i < a.length && table[i + 1]![j]! >= table[i]![j + 1]!)) {
      out.push({ op: '-', text: a[i]! });
      i++;
    } else {
      out.push({ op: '+', text: b[j]! });
      j++;
    }
  }
  return out;
}

/** The diff as text a reader can paste: each line prefixed with its op. */
export function diffText(lines: DiffLine[]): string {
  return lines.map((l) => `${l.op} ${l.text}`).join('\n');
}
