/**
 * The 29 languages issue 17 names and the README lists, as ISO 639-1 codes (Norwegian as "no", the
 * fixture files' name; detection answers its BCP 47 tag "nb"). The language tests and the
 * multilingual quality gate cover exactly these.
 */
export const COVERED_LANGUAGES: readonly string[] = [
  'en',
  'de',
  'fr',
  'es',
  'it',
  'pt',
  'nl',
  'pl',
  'ru',
  'uk',
  'cs',
  'sv',
  'da',
  'no',
  'fi',
  'hu',
  'ro',
  'el',
  'tr',
  'ar',
  'fa',
  'he',
  'hi',
  'id',
  'vi',
  'zh',
  'ja',
  'ko',
  'th',
];
