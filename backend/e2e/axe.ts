import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

// axe-core in the page, as the browser suites run it: WCAG 2.1 A and AA rules.

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface Violation {
  id: string;
  impact: "minor" | "moderate" | "serious" | "critical" | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core over the whole document (injected once per page). */
export async function axe(
  page: Page,
): Promise<{ violations: Violation[]; incomplete: Violation[] }> {
  if (!(await page.evaluate("typeof window.axe === 'object'"))) {
    await page.addScriptTag({ content: AXE });
  }
  return page.evaluate(
    `axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"] },
      resultTypes: ["violations"],
    })`,
  );
}

/** The serious and critical ones, one line each, naming up to three elements. */
export function severe(found: { view: string; violation: Violation }[]): string[] {
  return found
    .filter((f) => f.violation.impact === "serious" || f.violation.impact === "critical")
    .map(
      (f) =>
        `${f.view}: ${f.violation.id} (${f.violation.impact}) ${f.violation.help}: ${f.violation.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(", ")}`,
    );
}
