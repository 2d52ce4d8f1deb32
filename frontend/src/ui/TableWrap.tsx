import type { ReactNode } from "react";

/**
 * A table that scrolls sideways on a narrow screen, for tables with nothing to focus inside: the
 * region takes keyboard focus itself, so it can be scrolled without a mouse.
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section aria-label={label} tabIndex={0} className="table-wrap">
      {children}
    </section>
  );
}
