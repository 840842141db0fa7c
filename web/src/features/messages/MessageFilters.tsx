import { formatCount } from '../../components/format.ts';
import { useLabStore } from '../../store/index.ts';
import type { FilterOption, FilterOptions } from './filter-options.ts';
import { isFiltering } from './message-filter.ts';

function Select({ id, label, value, options, onChange }: { id: string; label: string; value: string; options: FilterOption[]; onChange: (v: string) => void }) {
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} title={label}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {!options.some((o) => o.value === value) && <option value={value}>{value} (none yet)</option>}
      </select>
    </>
  );
}

interface Props {
  options: FilterOptions;
  shown: number;
  total: number;
  error: string | undefined;
}

/** Search over payloads (text, or hex bytes), regex, direction, opcode and hop, and a clear button. */
export function MessageFilters({ options, shown, total, error }: Props) {
  const filter = useLabStore((s) => s.messageFilter);
  const set = useLabStore((s) => s.setMessageFilter);
  const clear = useLabStore((s) => s.clearMessageFilter);
  const filtering = isFiltering(filter);
  return (
    <div className="message-filters" role="search" aria-label="Filter messages">
      <label htmlFor="message-search" className="visually-hidden">
        Search payloads
      </label>
      <input
        id="message-search"
        type="search"
        className="search"
        placeholder="Search text or hex bytes (48 69)…"
        value={filter.search}
        aria-invalid={error !== undefined}
        aria-describedby={error ? 'message-search-error' : undefined}
        onInput={(e) => window.__labPerf?.searchInput(e.timeStamp)}
        onChange={(e) => set({ search: e.target.value })}
      />
      <label className="check compact">
        <input type="checkbox" checked={filter.regex} onChange={(e) => set({ regex: e.target.checked })} />
        Regex
      </label>
      <Select id="filter-direction" label="Direction" value={filter.direction} options={options.direction} onChange={(v) => set({ direction: v as 'all' | 'out' | 'in' })} />
      <Select id="filter-opcode" label="Opcode" value={filter.opcode} options={options.opcode} onChange={(v) => set({ opcode: v })} />
      <Select id="filter-hop" label="Hop" value={filter.hop} options={options.hop} onChange={(v) => set({ hop: v })} />
      <button type="button" onClick={clear} disabled={!filtering}>
        Clear filters
      </button>
      <span className="filter-count">
        {filtering ? `${formatCount(shown)} of ${formatCount(total)} messages` : `${formatCount(total)} messages`}
      </span>
      {error && (
        <p id="message-search-error" className="error inline-error">
          {error}
        </p>
      )}
    </div>
  );
}
