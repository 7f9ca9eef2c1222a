import { saveToken } from '../storage/tokens.ts';
import { decodeInvite, takeTokenFromLocation } from './invite.ts';

/**
 * On page load: a `#token=` in the address bar is taken out of it and kept on this device
 * for its plan (or every plan). Resolves once it is stored, so the plan page finds it.
 */
export async function takeInviteFromLocation(): Promise<void> {
  const token = takeTokenFromLocation();
  if (token === null) return;
  await keepInvite(token);
}

/** Keeps a token (from a link or pasted) for the plan it names; returns that plan. */
export async function keepInvite(token: string): Promise<string | null> {
  const claims = decodeInvite(token);
  if (claims === null) return null;
  await saveToken(claims.plan, token).catch(() => undefined);
  return claims.plan;
}
