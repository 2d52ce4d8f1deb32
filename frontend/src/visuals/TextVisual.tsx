import DOMPurify from "dompurify";
import { marked } from "marked";
import { useMemo } from "react";

/**
 * A note in markdown, turned into HTML by marked and sanitised by DOMPurify before it reaches the
 * page: no script, no event handler, no javascript: link survives, whoever wrote the note.
 */
export default function TextVisual({ markdown }: { markdown: string }) {
  const html = useMemo(
    () =>
      DOMPurify.sanitize(marked.parse(markdown, { async: false, gfm: true }) as string, {
        USE_PROFILES: { html: true },
        FORBID_TAGS: ["style", "form", "input", "button", "iframe"],
      }),
    [markdown],
  );
  return (
    <div
      className="text-visual"
      data-testid="widget-text"
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by DOMPurify above
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
