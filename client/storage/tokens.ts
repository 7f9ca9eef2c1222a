import { del, entries, get, set } from 'idb-keyval';
import { tokensStore } from './stores.ts';

/** The key of a token that covers every plan (an admin invite for `*`). */
export const EVERY_PLAN = '*';

/**
 * Invite tokens on this device, one per plan (or one for every plan), in their own
 * IndexedDB database. They stay on the device until replaced or forgotten: a token is the
 * device's only way into a plan on the relay.
 */
export async function saveToken(plan: string, token: string): Promise<void> {
  // Kept in memory too: with storage unavailable the token still serves this page.
  memory.set(plan, token);
  await set(plan, token, tokensStore());
}

const memory = new Map<string, string>();

/** The token for a plan: its own, else one for every plan; null when there is none. */
export async function loadToken(plan: string): Promise<string | null> {
  const read = async (key: string): Promise<string | null> => {
    const v = await get<unknown>(key, tokensStore()).catch(() => undefined);
    return typeof v === 'string' && v !== '' ? v : (memory.get(key) ?? null);
  };
  return (await read(plan)) ?? (await read(EVERY_PLAN));
}

/** Every token on this device (distinct), for asking the relay which plans they open. */
export async function listTokens(): Promise<string[]> {
  const all = await entries<string, unknown>(tokensStore()).catch(() => []);
  const tokens = [...all.map(([, t]) => t), ...memory.values()];
  return [...new Set(tokens.filter((t): t is string => typeof t === 'string' && t !== ''))];
}

/** Forgets a plan's token (it was refused); the `*` token is kept unless it is `plan`. */
export async function forgetToken(plan: string): Promise<void> {
  memory.delete(plan);
  await del(plan, tokensStore());
}
