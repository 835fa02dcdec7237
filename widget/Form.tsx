/**
 * @module
 * The sign-up form: name, email, "who referred you?" when no referral is
 * known, consent, a hidden honeypot, and the alert that offers a retry.
 */
import type { WidgetConfig } from './config.ts';
import { Consent } from './Consent.tsx';
import { Field } from './Field.tsx';
import type { Form as FormState } from './form.ts';

export function Form({ cfg, form }: { cfg: WidgetConfig; form: FormState }) {
  const { t } = cfg;
  const errors = form.errors.value;
  const alert = form.alert.value;
  const submit = async (event?: Event) => {
    event?.preventDefault();
    const invalid = await form.submit();
    if (invalid) document.getElementById(invalid)?.focus();
  };
  return (
    <form noValidate onSubmit={submit}>
      <h1>{cfg.headline}</h1>
      {cfg.text && <p>{cfg.text}</p>}
      <Field id="name" label={t.name} value={form.name} error={errors.name && t[errors.name]} onEdit={() => form.edited('name')} autoComplete="name" />
      <Field id="email" type="email" label={t.email} value={form.email} error={errors.email && t[errors.email]} onEdit={() => form.edited('email')} autoComplete="email" />
      {!form.known.value && (
        <Field id="referrer" label={t.referrer} hint={t.referrerHint} value={form.referrer} error={errors.referrer && t[errors.referrer]} onEdit={() => form.edited('referrer')} />
      )}
      <Consent cfg={cfg} form={form} />
      <div class="hp" aria-hidden="true">
        <label>
          Website
          <input name="website" tabIndex={-1} autoComplete="off" value={form.website} onInput={(e) => (form.website.value = e.currentTarget.value)} />
        </label>
      </div>
      <div role="alert" class="a">
        {alert && (
          <>
            <p>{t[alert]}</p>
            <button type="button" onClick={() => submit()}>{t.retry}</button>
          </>
        )}
      </div>
      <button type="submit" aria-disabled={form.status.value === 'busy'}>
        {form.status.value === 'busy' ? t.sending : cfg.buttonLabel}
      </button>
    </form>
  );
}
