// A long list the server pages (X-Total-Count), shown as a window: only the rows in view plus a margin are
// rendered, at a fixed row height, with spacers standing for the rest, and each page of rows is fetched
// the first time it scrolls into view. Loaded rows can be changed in place (live updates) and the pages
// in view fetched again (a new row somewhere, a reconnection) without blanking what is shown.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface RowPage<T> {
  items: T[];
  total: number;
}

export interface PagedRows<T> {
  /** Rows in all pages, as the server counted them; undefined until the first page arrives. */
  total: number | undefined;
  error: unknown;
  /** The rows to render: [first, last) with each row, undefined while its page is on its way. */
  first: number;
  last: number;
  rowAt: (index: number) => T | undefined;
  /** Height of the spacers above and below the rendered rows, in px. */
  above: number;
  below: number;
  /** Every row loaded so far. */
  loaded: () => T[];
  /** Changes loaded rows in place (a live update). */
  update: (change: (row: T) => T) => void;
  /** Fetches the pages in view again, keeping them shown meanwhile, and drops the others. */
  refresh: () => void;
  /** Put on the scrolling element. */
  scrollRef: (element: HTMLElement | null) => void;
  scrollToEnd: () => void;
}

export function usePagedRows<T>(
  load: (offset: number, limit: number) => Promise<RowPage<T>>,
  deps: unknown[],
  { pageSize = 100, rowHeight, margin = 30 }: { pageSize?: number; rowHeight: number; margin?: number },
): PagedRows<T> {
  const [pages, setPages] = useState<Map<number, T[]>>(new Map());
  const [total, setTotal] = useState<number>();
  const [error, setError] = useState<unknown>();
  const [view, setView] = useState({ top: 0, height: 800 });
  const [wanted, setWanted] = useState(0);
  const generation = useRef(0);
  const asked = useRef(new Set<number>());
  const element = useRef<HTMLElement | null>(null);
  const loader = useRef(load);
  loader.current = load;

  // Another list (community, search, filter): start again from its top.
  useEffect(() => {
    generation.current++;
    asked.current = new Set();
    setPages(new Map());
    setTotal(undefined);
    setError(undefined);
    if (element.current) element.current.scrollTop = 0;
    setView((v) => ({ ...v, top: 0 }));
  }, deps);

  const count = total ?? pageSize;
  const first = Math.max(0, Math.min(count, Math.floor(view.top / rowHeight) - margin));
  const last = Math.min(count, Math.ceil((view.top + view.height) / rowHeight) + margin);
  const firstPage = Math.floor(first / pageSize);
  const lastPage = Math.max(firstPage, Math.floor((Math.max(last, 1) - 1) / pageSize));

  useEffect(() => {
    const at = generation.current;
    for (let p = firstPage; p <= lastPage; p++) {
      if (asked.current.has(p)) continue;
      asked.current.add(p);
      loader.current(p * pageSize, pageSize).then(
        (page) => {
          if (generation.current !== at) return;
          setPages((old) => new Map(old).set(p, page.items));
          setTotal(page.total);
          setError(undefined);
        },
        (e: unknown) => {
          if (generation.current !== at) return;
          asked.current.delete(p);
          setError(e);
        },
      );
    }
  }, [firstPage, lastPage, wanted, ...deps]);

  const onScroll = useCallback((e: Event) => {
    const el = e.currentTarget as HTMLElement;
    setView({ top: el.scrollTop, height: el.clientHeight });
  }, []);
  const scrollRef = useCallback(
    (el: HTMLElement | null) => {
      element.current?.removeEventListener('scroll', onScroll);
      element.current = el;
      if (!el) return;
      el.addEventListener('scroll', onScroll, { passive: true });
      setView({ top: el.scrollTop, height: el.clientHeight || 800 });
    },
    [onScroll],
  );

  const rowAt = (index: number) => pages.get(Math.floor(index / pageSize))?.[index % pageSize];
  const refresh = () => {
    // Pages out of view go (they are fetched again when they come back); those in view stay until replaced.
    generation.current++;
    asked.current = new Set();
    setPages((old) => new Map([...old].filter(([p]) => p >= firstPage && p <= lastPage)));
    setWanted((n) => n + 1);
  };
  return {
    total,
    error,
    first,
    last,
    rowAt,
    above: first * rowHeight,
    below: Math.max(0, count - last) * rowHeight,
    loaded: () => [...pages.values()].flat(),
    update: (change) => setPages((old) => new Map([...old].map(([p, rows]) => [p, rows.map(change)]))),
    refresh,
    scrollRef,
    scrollToEnd: () => {
      if (element.current) element.current.scrollTop = element.current.scrollHeight;
    },
  };
}
