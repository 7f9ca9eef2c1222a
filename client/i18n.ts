import { configureLocalization } from '@lit/localize';
import { loadLocale, saveLocale } from './storage/device.ts';

/** Interface languages: Simplified Chinese is the source, English a translation. */
export const SOURCE_LOCALE = 'zh-CN';
export const TARGET_LOCALES = ['en'] as const;
export type Locale = typeof SOURCE_LOCALE | (typeof TARGET_LOCALES)[number];

/**
 * @lit/localize in runtime mode: one build serves both languages and the switch needs no
 * reload. Strings are written in Chinese in the source with explicit ids; English lives in
 * locales/en.ts (test/client/i18n.test.ts checks that every id has a translation).
 */
export const { getLocale, setLocale } = configureLocalization({
  sourceLocale: SOURCE_LOCALE,
  targetLocales: TARGET_LOCALES,
  loadLocale: () => import('./locales/en.ts'),
});

function isLocale(l: string | null): l is Locale {
  return l === SOURCE_LOCALE || (TARGET_LOCALES as readonly string[]).includes(l ?? '');
}

/** Applies the remembered language (zh-CN when none, or storage is unavailable). */
export async function initLocale(): Promise<void> {
  const stored = await loadLocale().catch(() => null);
  if (isLocale(stored) && stored !== SOURCE_LOCALE) await setLocale(stored);
  document.documentElement.lang = getLocale();
}

/** Switches the language and remembers the choice on this device. */
export async function switchLocale(locale: Locale): Promise<void> {
  await setLocale(locale);
  document.documentElement.lang = locale;
  await saveLocale(locale).catch(() => undefined);
}
