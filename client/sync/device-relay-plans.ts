import { listTokens } from '../storage/tokens.ts';
import type { RelayPlan, fetchRelayPlans } from './relay-plans.ts';

/**
 * The plans on the relay that this device's invites open: `GET /api/plans` asked with each
 * token the device holds, merged. [] with no token (the relay lists nothing to strangers);
 * null when the relay cannot be reached.
 */
export async function relayPlansForDevice(
  fetchPlans: typeof fetchRelayPlans,
  fetchFn: typeof fetch = fetch.bind(globalThis),
): Promise<RelayPlan[] | null> {
  const tokens = await listTokens().catch(() => []);
  if (tokens.length === 0) return [];
  const lists = await Promise.all(tokens.map((t) => fetchPlans(fetchFn, t)));
  if (lists.every((l) => l === null)) return null;
  const byId = new Map<string, RelayPlan>();
  for (const list of lists) for (const p of list ?? []) byId.set(p.id, p);
  return [...byId.values()];
}
