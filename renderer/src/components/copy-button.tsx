import { Fragment, useState } from 'react';

/** Copies text to the clipboard and says so for a moment. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="button small"
      aria-label={label}
      onClick={() => {
        void navigator.clipboard.writeText(text).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        });
      }}
    >
      {done ? 'Copied ✓' : 'Copy'}
    </button>
  );
}

/**
 * A URL that wraps only after its separators (/ ? & = #), never inside a word: a line break opportunity after
 * each, none anywhere else.
 */
export function UrlText({ value }: { value: string }) {
  const parts = value.split(/(?<=[/?&=#])/);
  return (
    <>
      {parts.map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string.
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}

/** A labelled read-only value with its copy button. */
export function CopyField({
  label,
  value,
  copyLabel,
  testId,
}: {
  label: string;
  value: string;
  copyLabel: string;
  testId?: string;
}) {
  return (
    <div className="copy-field" data-testid={testId}>
      <span className="copy-label">{label}</span>
      <code className="copy-value">
        <UrlText value={value} />
      </code>
      <CopyButton text={value} label={copyLabel} />
    </div>
  );
}
