// Entry of s.js. currentScript is only set while this runs, so it is read right away.
import { guard } from "./guard.ts";
import { init } from "./tracker.ts";

// The one guard of start-up: analytics must never break the page.
guard(init)(document.currentScript);
