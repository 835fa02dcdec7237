/**
 * @module
 * The widget: the program's logo (or name) above the form, then the success
 * screen in its place. The brand colours are set here, as CSS variables.
 */
import type { WidgetConfig } from './config.ts';
import { Done } from './Done.tsx';
import { Form } from './Form.tsx';
import type { Form as FormState } from './form.ts';

export function App({ cfg, form }: { cfg: WidgetConfig; form: FormState }) {
  return (
    <main style={{ '--c': cfg.color, '--on': cfg.onColor }}>
      {cfg.logoUrl ? <img class="l" src={cfg.logoUrl} alt={cfg.brand} /> : <p class="b">{cfg.brand}</p>}
      {form.status.value === 'done' ? <Done cfg={cfg} name={form.name.value.trim()} /> : <Form cfg={cfg} form={form} />}
    </main>
  );
}
