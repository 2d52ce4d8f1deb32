import { readFileSync } from "node:fs";
import { launchChromium } from "../e2e/browser.ts";
import { signedInContext } from "../e2e/dashboard-stack.ts";
const { url, token } = JSON.parse(readFileSync("/tmp/boards-dev.json", "utf8"));
const browser = await launchChromium();
const ctx = await signedInContext(browser, token, process.env.PHONE ? { viewport: { width: 390, height: 844 } } : {});
const page = await ctx.newPage();
page.on("pageerror", (e) => console.log("PAGEERROR", e.message));
page.on("console", (m) => m.type() === "error" && console.log("CONSOLE", m.text()));
const script = (await import(process.argv[2] as string)).default;
try { await script(page, url, token); } finally { await browser.close(); }
