// Timings `npm run bench` reads from the page (bench/ui.ts). Off unless the page URL has `perf`,
// so a normal session records nothing; on, each list keeps at most MAX entries.

export interface LabPerf {
  /** ms from a live flush's start to the commit of the render it caused, laid out. */
  flushes: number[];
  /** ms from a keystroke in the search box to the commit showing its results, laid out. */
  searches: number[];
  flushStarted(): void;
  /** A commit happened: close the flush and the search waiting for it. */
  committed(searchKey: string | undefined): void;
  searchInput(timeStamp: number): void;
}

declare global {
  interface Window {
    __labPerf?: LabPerf;
  }
}

const MAX = 100_000;

function push(list: number[], value: number): void {
  if (list.length < MAX) list.push(value);
}

export function installProbe(): void {
  if (!new URLSearchParams(window.location.search).has('perf')) return;
  let flushAt: number | undefined;
  let typedAt: number | undefined;
  let lastKey: string | undefined;
  window.__labPerf = {
    flushes: [],
    searches: [],
    flushStarted() {
      flushAt = performance.now();
    },
    committed(searchKey) {
      // Read layout, so the time counts restyling and laying out what the commit changed, not only the JS.
      void document.body.offsetHeight;
      const now = performance.now();
      if (flushAt !== undefined) push(this.flushes, now - flushAt);
      flushAt = undefined;
      if (searchKey === undefined) return;
      if (typedAt !== undefined && searchKey !== lastKey) {
        push(this.searches, now - typedAt);
        typedAt = undefined;
      }
      lastKey = searchKey;
    },
    searchInput(timeStamp) {
      typedAt = timeStamp;
    },
  };
}
