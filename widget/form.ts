/**
 * @module
 * The form's state as signals, and what submitting does: check every field by
 * the server's rules, send, then show success, the server's objections, or a
 * retry. What the friend typed is never cleared by a failure.
 */
import { computed, signal } from '@preact/signals';
import type { FriendSubmission } from '../contract/public.ts';
import type { WidgetConfig, WidgetMessageKey } from './config.ts';
import type { Attribution } from './embed.ts';
import type { Send } from './send.ts';
import { isEmail, isName, typedReferrer } from './validate.ts';

/** The fields, in the order they are shown; each is also its input's id. */
export const FIELDS = ['name', 'email', 'referrer', 'consent'] as const;
export type Field = (typeof FIELDS)[number];
export type Errors = Partial<Record<Field, WidgetMessageKey>>;

/** A refusal by the server, by its field name: where it is shown and what it says. */
const REFUSALS: Record<string, [Field, WidgetMessageKey]> = {
  friendName: ['name', 'needName'],
  friendEmail: ['email', 'refusedEmail'],
  code: ['referrer', 'unknownReferrer'],
  clickId: ['referrer', 'unknownReferrer'],
  referrerEmail: ['referrer', 'unknownReferrer'],
  consent: ['consent', 'needConsent'],
};

export type Form = ReturnType<typeof createForm>;

export function createForm(cfg: WidgetConfig, send: Send, onDone: (referralId: string) => void = () => {}) {
  const name = signal('');
  const email = signal('');
  const referrer = signal('');
  /** The honeypot. */
  const website = signal('');
  const consent = signal(false);
  const errors = signal<Errors>({});
  const status = signal<'idle' | 'busy' | 'done'>('idle');
  const alert = signal<'tooMany' | 'failed' | null>(null);

  // Attribution, strongest first: the iframe's src, the tracker's message, what the friend types.
  const given: Attribution | null = cfg.ref || cfg.click ? { code: cfg.ref, clickId: cfg.click } : null;
  const told = signal<Attribution | null>(null);
  /** The server knew no referrer by the attribution we had: the friend names one. */
  const refused = signal(false);
  const known = computed(() => (refused.value ? null : given ?? told.value));

  const check = (): Errors => ({
    ...(!isName(name.value) && { name: 'needName' }),
    ...(!isEmail(email.value) && { email: 'needEmail' }),
    ...(!known.value && !typedReferrer(referrer.value) && { referrer: 'needReferrer' }),
    ...(!consent.value && { consent: 'needConsent' }),
  });

  const body = (): FriendSubmission => {
    const by = known.value;
    return {
      friendName: name.value.trim(),
      friendEmail: email.value.trim(),
      consent: true,
      website: website.value,
      ...(by ? { code: by.code ?? undefined, clickId: by.clickId ?? undefined } : typedReferrer(referrer.value)),
    };
  };

  /** Sends when every field passes. Returns the field to focus when one did not. */
  async function submit(): Promise<Field | undefined> {
    if (status.value !== 'idle') return;
    alert.value = null;
    errors.value = check();
    const first = FIELDS.find((f) => errors.value[f]);
    if (first) return first;

    status.value = 'busy';
    const reply = await send(cfg.programId, body());
    if ('id' in reply) {
      status.value = 'done';
      onDone(reply.id);
      return;
    }
    status.value = 'idle';
    if ('retry' in reply) {
      alert.value = reply.retry;
      return;
    }
    const refusals = reply.fields.map((f) => REFUSALS[f]).filter((r) => r !== undefined);
    if (!refusals.length) alert.value = 'failed';
    if (refusals.some(([field]) => field === 'referrer')) refused.value = true;
    errors.value = Object.fromEntries(refusals);
    return FIELDS.find((f) => errors.value[f]);
  }

  return {
    name, email, referrer, website, consent, errors, status, alert, known, submit,
    /** The tracker's attribution; the iframe's own `?ref=` / `?click=` outrank it. */
    attribute: (by: Attribution) => void (given || (told.value = by)),
    /** Forgets a field's error once the friend changes it. */
    edited: (field: Field) => void (errors.value[field] && (errors.value = { ...errors.value, [field]: undefined })),
  };
}
