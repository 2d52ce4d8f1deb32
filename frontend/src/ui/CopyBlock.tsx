import { useState } from "react";

/** Text to copy (a snippet, a config block), with a Copy button that says when it worked. */
export function CopyBlock({
  label,
  text,
  testId,
}: {
  label: string;
  text: string;
  testId?: string;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy-block">
      {/* A long line scrolls sideways: the region takes keyboard focus so it can be scrolled. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <section aria-label={label} tabIndex={0} className="copy-scroll">
        <pre data-testid={testId}>
          <code>{text}</code>
        </pre>
      </section>
      <button
        type="button"
        className="button button-secondary button-small copy-button"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
            setCopied(true);
            setTimeout(() => setCopied(false), 2000);
          } catch {
            setCopied(false);
          }
        }}
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}
