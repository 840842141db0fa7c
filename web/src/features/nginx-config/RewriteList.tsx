import type { NginxRewrite } from '../../../../server/src/api/types.ts';

/** What the lab changed before nginx ran the text: only the upstream and the listen, each with its line. */
export function RewriteList({ rewrites }: { rewrites: NginxRewrite[] }) {
  if (rewrites.length === 0) return null;
  return (
    <details className="config-rewrites">
      <summary>What the lab changed to run it ({rewrites.length})</summary>
      <ul>
        {rewrites.map((r, i) => (
          <li key={i}>
            Line {r.line}: <code>{r.from}</code> → <code>{r.to}</code>. {r.why}
          </li>
        ))}
      </ul>
    </details>
  );
}
