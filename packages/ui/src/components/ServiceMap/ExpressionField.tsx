"use client";

import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { parseExpression } from "../../serviceMap/mapExpression";

interface ExpressionFieldProps {
  label: string;
  placeholder: string;
  value: string;
  /** Called with a valid expression (or "") on Enter or when the field loses focus. */
  onApply: (text: string) => void;
  testId: string;
}

/**
 * A find or hide expression. Typing checks it at once and says what is wrong and where;
 * only a valid expression is applied, so a typo never blanks the map.
 */
export function ExpressionField({ label, placeholder, value, onApply, testId }: ExpressionFieldProps) {
  const [text, setText] = useState(value);
  // The URL (and so `value`) updates a moment after onApply; remembering what was sent
  // keeps an Enter followed by a blur from applying the same text twice over a stale URL.
  const applied = useRef(value);
  useEffect(() => {
    setText(value);
    applied.current = value;
  }, [value]);
  const parsed = parseExpression(text);
  const id = useId();
  const apply = (event?: FormEvent) => {
    event?.preventDefault();
    const next = text.trim();
    if (!parsed.ok || next === applied.current) return;
    applied.current = next;
    onApply(next);
  };
  return (
    <form className="expression-field" onSubmit={apply} aria-label={label}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={text}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        onChange={(event) => setText(event.target.value)}
        onBlur={() => apply()}
        aria-invalid={!parsed.ok}
        aria-describedby={parsed.ok ? undefined : `${id}-error`}
        data-testid={testId}
      />
      {parsed.ok ? null : (
        <span
          id={`${id}-error`}
          className="expression-field__error"
          role="alert"
          data-testid={`${testId}-error`}
        >
          {parsed.message} (at {parsed.position + 1})
        </span>
      )}
    </form>
  );
}
