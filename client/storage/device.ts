import { del, entries, get, set, update } from 'idb-keyval';
import { plansStore, prefsStore } from './stores.ts';

/** A plan kept on this device, as the home page lists it. */
export interface DevicePlan {
  readonly id: string;
  readonly title: string;
  /** ISO 8601 time the plan was last opened here. */
  readonly openedAt: string;
}

/** The person using this device: asked once, on first use. */
export interface Profile {
  readonly name: string;
  /** The branch (党支部 / 科室) the person belongs to, by name. */
  readonly branch: string;
}

/** Plans on this device, most recently opened first. */
export async function listDevicePlans(): Promise<DevicePlan[]> {
  const all = await entries<string, DevicePlan>(plansStore());
  return all
    .map(([, p]) => p)
    .filter((p) => typeof p?.id === 'string')
    .sort((a, b) => (a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : 0));
}

/** Records that a plan is on this device (and when it was opened), keeping a known title. */
export async function rememberPlan(id: string, title: string, openedAt: string): Promise<void> {
  await update<DevicePlan>(
    id,
    (old) => ({ id, title: title !== '' ? title : (old?.title ?? ''), openedAt }),
    plansStore(),
  );
}

/** Updates a plan's title in the device list without touching when it was opened. */
export async function renameDevicePlan(id: string, title: string): Promise<void> {
  await update<DevicePlan>(
    id,
    (old) => ({ id, title, openedAt: old?.openedAt ?? new Date(0).toISOString() }),
    plansStore(),
  );
}

/** Forgets a plan from the device list (its stored state is kept). */
export async function forgetPlan(id: string): Promise<void> {
  await del(id, plansStore());
}

export async function loadProfile(): Promise<Profile | null> {
  const p = await get<Profile>('profile', prefsStore());
  return p && typeof p.name === 'string' && p.name !== '' ? p : null;
}

export async function saveProfile(profile: Profile): Promise<void> {
  await set('profile', { name: profile.name, branch: profile.branch }, prefsStore());
}

export async function loadLocale(): Promise<string | null> {
  const l = await get<string>('locale', prefsStore());
  return typeof l === 'string' ? l : null;
}

export async function saveLocale(locale: string): Promise<void> {
  await set('locale', locale, prefsStore());
}
