/**
 * The pages, parsed from the URL (DESIGN.md: `/` home, `/plan/<plan-id>` a plan,
 * `/plan/<plan-id>/print` its print view, with `?version=<id>` and `?branch=<id>`).
 */
export type Route =
  | { readonly page: 'home' }
  | { readonly page: 'plan'; readonly planId: string }
  | {
      readonly page: 'print';
      readonly planId: string;
      readonly version: string | null;
      readonly branch: string | null;
    }
  | { readonly page: 'not-found' };

const PLAN_RE = /^\/plan\/([A-Za-z0-9_-]{1,64})\/?$/;
const PRINT_RE = /^\/plan\/([A-Za-z0-9_-]{1,64})\/print\/?$/;

export function parseRoute(pathname: string, search = ''): Route {
  if (pathname === '/' || pathname === '/index.html') return { page: 'home' };
  const m = PLAN_RE.exec(pathname);
  if (m) return { page: 'plan', planId: m[1] as string };
  const p = PRINT_RE.exec(pathname);
  if (p) {
    const q = new URLSearchParams(search);
    return {
      page: 'print',
      planId: p[1] as string,
      version: q.get('version') || null,
      branch: q.get('branch') || null,
    };
  }
  return { page: 'not-found' };
}

export function planPath(planId: string): string {
  return `/plan/${planId}`;
}

/** The print view's URL: an agreed version and one branch are optional. */
export function printPath(
  planId: string,
  opts: { readonly version?: string | null; readonly branch?: string | null } = {},
): string {
  const q = new URLSearchParams();
  if (opts.version) q.set('version', opts.version);
  if (opts.branch) q.set('branch', opts.branch);
  const s = q.toString();
  return `/plan/${planId}/print${s ? `?${s}` : ''}`;
}

/** Client-side navigation: push the URL and tell the app (it listens to `popstate`). */
export function navigate(path: string, { replace = false } = {}): void {
  if (location.pathname + location.search === path) return;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** A new plan id: 20 hex characters, like the plan API's task ids. */
export function newPlanId(): string {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 20);
}
