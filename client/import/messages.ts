/**
 * The importer's messages (errors and warnings) are written once, in shared/import, as
 * “中文 (English)”, so that the CLI and the import dialog say the same thing. The dialog
 * shows the half that matches the interface language.
 */

const BILINGUAL = /^([\s\S]*?)\s*\(([^()]*)\)\s*$/;

/** The Chinese or the English half of an importer message, whole when it has no English. */
export function importerMessageIn(message: string, locale: string): string {
  const m = BILINGUAL.exec(message);
  // The translation is a sentence (it may quote labels such as 一、); a trailing parenthesis
  // that does not start like one is part of the Chinese text.
  if (m === null || !/^[A-Z]/.test(m[2] ?? '')) return message;
  return (locale === 'en' ? m[2] : m[1]) ?? message;
}
