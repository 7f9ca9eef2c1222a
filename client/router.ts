/** The pages, parsed from the URL (DESIGN.md: `/` home, `/plan/<plan-id>` a plan). */
export type Route =
  | { readonly page: 'home' }
  | { readonly page: 'plan'; readonly planId: string }
  | { readonly page: 'not-found' };

const PLAN_RE = /^\/plan\/([A-Za-z0-9_-]{1,64})\/?$/;

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '/index.html') return { page: 'home' };
  const m = PLAN_RE.exec(pathname);
  if (m) return { page: 'plan', planId: m[1] as string };
  return { page: 'not-found' };
}

export function planPath(planId: string): string {
  return `/plan/${planId}`;
}

/** Client-side navigation: push the URL and tell the app (it listens to `popstate`). */
export function navigate(path: string): void {
  if (location.pathname + location.search === path) return;
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** A new plan id: 20 hex characters, like the plan API's task ids. */
export function newPlanId(): string {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 20);
}
