/**
 * Language tags as requests send them ("en", "pt-BR", "zh_Hant") and as the engine takes them
 * (ISO 639-1: "en", "pt", "zh"): the region and script only say which variety of a language
 * the text is in, and the engine's stop words and scorers are per language.
 */

/** An ISO 639 code, optionally followed by subtags ("pt-BR"); the pattern of every `lang` field. */
export const LANGUAGE_TAG = '^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$';

/** "pt-BR" → "pt". */
export function languageOf(tag: string): string;
export function languageOf(tag: string | undefined): string | undefined;
export function languageOf(tag: string | undefined): string | undefined {
  return tag?.split(/[-_]/)[0].toLowerCase();
}
