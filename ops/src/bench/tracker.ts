import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
// The tracker's e2e harness owns the Chromium launch and the local fixture server.
import { contextOptions, html, launchChromium, startReceiver } from "@sightline/tracker/harness";

// `pnpm bench tracker`: builds the tracker, prints raw, gzip -9 and brotli sizes of the core
// (s.js) and each plugin beside reference scripts, then times s.js start-up in Chromium.

const BUDGET = 2048;
const dist = new URL("../../../tracker/dist/", import.meta.url);

execFileSync("pnpm", ["--filter", "@sightline/tracker", "build"], { stdio: "ignore" });
// Installs Debian's chromium when missing (as root), as the test suite does.
execFileSync(
  process.execPath,
  [new URL("../../../scripts/ensure-test-deps.mjs", import.meta.url).pathname],
  { stdio: "inherit" },
);

const rows: { file: string; raw: string; gzip: string; brotli: string; note: string }[] = [];
for (const file of ["s.js", "errors.js", "vitals.js"]) {
  const code = readFileSync(new URL(file, dist));
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(code, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
  }).length;
  const note =
    file === "s.js"
      ? `core; budget ${BUDGET} B gzip: ${gzip <= BUDGET ? "within" : `OVER by ${gzip - BUDGET} B`}`
      : "plugin, loaded only when enabled";
  rows.push({ file, raw: `${code.length}`, gzip: `${gzip}`, brotli: `${brotli}`, note });
}
// Not measured here: those scripts are not available offline. These are the figures stated in
// issue 3 (minified, gzip -9).
for (const [file, gzip] of [
  ["Pixel tracker", 5179],
  ["Plausible (full)", 2694],
  ["Umami", 2224],
] as const)
  rows.push({
    file,
    raw: "-",
    gzip: `${gzip}`,
    brotli: "-",
    note: "reference, as stated in issue 3",
  });

console.log("tracker sizes (bytes)");
console.table(rows);

// Start-up cost: the time s.js takes to run, fingerprint included, in Chromium. The script is
// inlined so that the time covers running it, not downloading it.
const RUNS = 25;
const core = readFileSync(new URL("s.js", dist), "utf8");
const rx = await startReceiver();
const browser = await launchChromium();
try {
  const timing: Record<string, string | number>[] = [];
  const medians: Record<string, number> = {};
  for (const identity of ["fingerprint", "cookieless"]) {
    rx.page(
      `/${identity}`,
      html(
        "<p>bench</p>",
        `<script>t0=performance.now()</script><script data-api="/sl" data-site="bench" data-automation="allow" data-identity="${identity}">${core}</script><script>t1=performance.now()</script>`,
      ),
    );
    const context = await browser.newContext(contextOptions());
    const page = await context.newPage();
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.goto(`${rx.url}/${identity}`);
      ms.push((await page.evaluate("t1 - t0")) as number);
    }
    await context.close();
    ms.sort((a, b) => a - b);
    const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(2);
    medians[identity] = +at(0.5);
    timing.push({
      identity,
      runs: RUNS,
      "median ms": at(0.5),
      "p95 ms": at(0.95),
      "max ms": at(1),
    });
  }
  console.log("s.js start-up in Chromium (headless, --disable-gpu: WebGL runs in software)");
  console.table(timing);
  // The fingerprint is the only work the two modes do not share.
  const cost = (medians.fingerprint ?? 0) - (medians.cookieless ?? 0);
  console.log(`fingerprint start-up cost (median difference): ${cost.toFixed(2)} ms`);
} finally {
  await browser.close();
  await rx.close();
}
