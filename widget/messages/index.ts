/**
 * @module
 * The widget's words in every locale. The server inlines the chosen locale's
 * messages into the page, so the widget's script carries none of them.
 */
import type { Locale } from '../../contract/program.ts';
import { de } from './de.ts';
import { en, type Messages } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { it } from './it.ts';
import { nl } from './nl.ts';

export const MESSAGES = { en, de, fr, es, it, nl } as const satisfies Record<Locale, Messages>;
export type { MessageKey, Messages } from './en.ts';
