// Entry of s.js. currentScript is only set while this runs, so it is read right away.
import { init } from "./tracker.ts";

try {
  init(document.currentScript);
} catch {
  // analytics must never break the page
}
