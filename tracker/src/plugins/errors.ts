// errors.js: JavaScript errors and unhandled promise rejections as `error` events.
import { on } from "../guard.ts";
import { hash } from "../ids.ts";
import { track } from "./track.ts";

/** At most this many distinct errors are sent per page, so an error in a loop costs little. */
export const MAX_ERRORS = 10;
const seen = new Set<string>();

/** Each distinct error (same stack fingerprint) is sent once per page. */
const report = (message: unknown, type: string, source = "", line = 0, col = 0, stack = "") => {
  const text = `${message}`.slice(0, 512);
  // The stack without line and column numbers, so the same fault in a rebuilt bundle matches.
  const fp = hash(type + text + `${stack}`.replace(/:\d+/g, ""));
  if (seen.has(fp) || seen.size >= MAX_ERRORS) return;
  seen.add(fp);
  track("error", { message: text, type, source: source.slice(0, 512), line, col, fp });
};

on("error", (e: ErrorEvent) => {
  // Failed resource loads also raise "error" (with no message): those are not script errors.
  if (e.message)
    report(e.message, e.error?.name || "Error", e.filename, e.lineno, e.colno, e.error?.stack);
});
on("unhandledrejection", (e: PromiseRejectionEvent) => {
  const r = e.reason;
  report(r?.message ?? r, "unhandledrejection", "", 0, 0, r?.stack);
});
