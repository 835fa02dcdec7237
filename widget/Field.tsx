/**
 * @module
 * A labelled text input with an optional hint and its error, which is
 * announced (aria-live) and tied to the input (aria-describedby).
 */
import type { Signal } from '@preact/signals';

interface Props {
  id: string;
  label: string;
  hint?: string;
  error: string | undefined;
  value: Signal<string>;
  onEdit: () => void;
  type?: 'text' | 'email';
  autoComplete?: string;
}

export function Field({ id, label, hint, error, value, onEdit, type = 'text', autoComplete = 'off' }: Props) {
  return (
    <div class="f">
      <label for={id}>{label}</label>
      {hint && <span id={`${id}-h`} class="h">{hint}</span>}
      <input
        id={id}
        name={id}
        // Preact's types tell input kinds apart by a literal `type`; both of ours are plain text inputs.
        type={type as 'text'}
        value={value}
        onInput={(e) => {
          value.value = e.currentTarget.value;
          onEdit();
        }}
        autoComplete={autoComplete}
        spellcheck={false}
        required
        aria-invalid={!!error}
        aria-describedby={`${hint ? `${id}-h ` : ''}${id}-e`}
      />
      <span id={`${id}-e`} class="e" aria-live="polite">{error}</span>
    </div>
  );
}
