/** A plan the relay holds, as `GET /api/plans` lists it. */
export interface RelayPlan {
  readonly id: string;
  readonly title: string;
}

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The plans on the relay: null when the relay cannot be reached, [] when it cannot tell (a
 * relay without the route answers 404 or the app's HTML). The home page then lists only
 * the device's plans.
 */
export async function fetchRelayPlans(
  fetchFn: typeof fetch = fetch,
  /** The invite token to ask with (issue 7: the relay lists the plans a token opens). */
  token?: string,
): Promise<RelayPlan[] | null> {
  let res: Response;
  try {
    res = await fetchFn('/api/plans', {
      headers: {
        accept: 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
    });
  } catch {
    return null;
  }
  try {
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return [];
    const body: unknown = await res.json();
    if (!Array.isArray(body)) return [];
    return body
      .filter(
        (p): p is RelayPlan =>
          typeof p === 'object' &&
          p !== null &&
          typeof (p as RelayPlan).id === 'string' &&
          ID_RE.test((p as RelayPlan).id),
      )
      .map((p) => ({ id: p.id, title: typeof p.title === 'string' ? p.title : '' }));
  } catch {
    return [];
  }
}
