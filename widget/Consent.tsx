/**
 * @module
 * The consent checkbox: the program's terms linked when it has them, else
 * consent to the use of the friend's details. Required either way.
 */
import type { WidgetConfig } from './config.ts';
import { fill } from './fill.ts';
import type { Form } from './form.ts';

export function Consent({ cfg, form }: { cfg: WidgetConfig; form: Form }) {
  const { t } = cfg;
  const error = form.errors.value.consent;
  const [before, after] = t.consent.split('{terms}');
  return (
    <div class="f">
      <div class="c">
        <input
          id="consent"
          type="checkbox"
          checked={form.consent}
          onChange={(e) => {
            form.consent.value = e.currentTarget.checked;
            form.edited('consent');
          }}
          required
          aria-invalid={!!error}
          aria-describedby="consent-e"
        />
        <label for="consent">
          {cfg.termsUrl
            ? <>{before}<a href={cfg.termsUrl} target="_blank" rel="noopener noreferrer">{t.terms}</a>{after}</>
            : fill(t.consentPlain, { brand: cfg.brand })}
        </label>
      </div>
      <span id="consent-e" class="e" aria-live="polite">{error && t[error]}</span>
    </div>
  );
}
