/**
 * The parts of the app loaded when first used: the versions panel and the print view. A plan
 * page fetches them once it has settled, so they open offline too, even before the service
 * worker controls the page (a first visit that loses the network at once used to fail to
 * open the versions panel). A fetch that fails is tried again at the next use.
 */
const loading = new Map<string, Promise<unknown>>();

function once(key: string, load: () => Promise<unknown>): Promise<unknown> {
  let pending = loading.get(key);
  if (pending === undefined) {
    pending = load().catch((error: unknown) => {
      loading.delete(key);
      throw error;
    });
    loading.set(key, pending);
  }
  return pending;
}

/** The versions panel (`<cl-versions>`). */
export function loadVersions(): Promise<unknown> {
  return once('versions', () => import('./versions/cl-versions.ts'));
}

/** The print view (`<cl-print-page>`). */
export function loadPrintPage(): Promise<unknown> {
  return once('print', () => import('./print/cl-print-page.ts'));
}

/** At the latest this long after a plan page opens, its lazy parts are fetched. */
const PREFETCH_WITHIN_MS = 1500;

/**
 * Fetches the plan page's lazy parts in the background, once the page is idle after its
 * first render. A failure is not thrown at the page: the part is fetched again when it is
 * opened, and says so if it still cannot be.
 */
export function prefetchPlanParts(): void {
  const fetchParts = (): void => {
    void loadVersions().catch(() => undefined);
    void loadPrintPage().catch(() => undefined);
  };
  if (typeof requestIdleCallback === 'function')
    requestIdleCallback(fetchParts, { timeout: PREFETCH_WITHIN_MS });
  else setTimeout(fetchParts, PREFETCH_WITHIN_MS);
}
