/**
 * @module
 * Which of the widget's locales a visitor gets: the page's `?locale=`, the
 * program's fixed locale, or the browser's preference (Accept-Language).
 */
import { LOCALES, type Locale } from '../../contract/program.ts';

const isLocale = (value: string): value is Locale => (LOCALES as readonly string[]).includes(value);

/**
 * The locale of a language tag, when the widget has it.
 * @example localeOf('de-AT') // 'de'
 */
export function localeOf(tag: string | undefined): Locale | undefined {
  const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return language && isLocale(language) ? language : undefined;
}

/**
 * The browser's most preferred locale that the widget has.
 * @example fromAcceptLanguage('pt-BR, fr;q=0.9, en;q=0.8') // 'fr'
 */
export function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  return (header ?? '')
    .split(',')
    .map((entry) => {
      const [tag, ...params] = entry.split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, weight: q ? Number(q.slice(2)) : 1 };
    })
    .filter(({ weight }) => weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .map(({ tag }) => localeOf(tag))
    .find((locale) => locale !== undefined);
}
