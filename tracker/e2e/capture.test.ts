// @vitest-environment node
// The built s.js in real Chromium: pageviews, SPA and hash routes, and auto-capture.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  contextOptions,
  html,
  launchChromium,
  type Receiver,
  sleep,
  snippet,
  startReceiver,
  until,
} from "./harness.ts";

let browser: Browser;
let rx: Receiver;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});
beforeEach(async () => {
  rx = await startReceiver();
  context = await browser.newContext(contextOptions());
  page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
});
afterEach(async () => {
  await context.close();
  await rx.close();
});

const pageviews = () => rx.events().filter((e) => e.n === "pageview");

describe("pageviews", () => {
  it("sends exactly one pageview per load, stub before or after the script", async () => {
    const after = `<script src="/sl/s.js" data-site="test.example" data-automation="allow"></script>
<script>window.sightline=window.sightline||function(){(sightline.q=sightline.q||[]).push(arguments)}</script>`;
    rx.page("/before", html("<p>x</p>"));
    rx.page("/after", html("<p>x</p>", after));
    rx.page("/twice", html("<p>x</p>", snippet() + snippet()));
    for (const path of ["/before", "/after", "/twice"]) await page.goto(rx.url + path);
    await until(() => pageviews().length >= 3, 5000, "3 pageviews");
    await sleep(500);
    expect(pageviews().map((e) => new URL(e.u).pathname)).toEqual(["/before", "/after", "/twice"]);
    const [e] = pageviews();
    expect(e).toMatchObject({ a: 1, l: "en-US" });
    expect(e!.i).toMatch(/^[0-9a-f]{32}$/);
    expect(rx.batches[0]).toMatchObject({ site: "test.example", sv: "4" });
  });

  it("counts SPA routes: pushState, replaceState that changes the path, popstate", async () => {
    rx.page("/app", html("<p>app</p>"));
    await page.goto(`${rx.url}/app`);
    await until(() => pageviews().length === 1);
    await page.evaluate(() => {
      history.pushState({}, "", "/app/a");
      history.replaceState({}, "", "/app/a?tidy=1"); // same path: not a pageview
      history.replaceState({}, "", "/app/b");
      history.pushState({}, "", "/app/b#section"); // hash only, no data-hash: not a pageview
    });
    await page.goBack(); // popstate back to /app/b: same page, the hash does not count
    await page.goBack(); // popstate to /app (the /app/a entry was replaced by /app/b)
    await until(() => pageviews().length >= 4);
    await sleep(300);
    expect(pageviews().map((e) => e.u.replace(rx.url, ""))).toEqual([
      "/app",
      "/app/a",
      "/app/b",
      "/app",
    ]);
  });

  it("counts hash routes with data-hash, marked h: 1", async () => {
    rx.page("/h", html("<a id=l href='#/two'>two</a>", snippet("data-hash")));
    await page.goto(`${rx.url}/h#/one`);
    await page.click("#l");
    await page.evaluate(() => {
      location.hash = "#/three";
    });
    await until(() => pageviews().length >= 3);
    await sleep(300);
    expect(pageviews().map((e) => new URL(e.u).hash)).toEqual(["#/one", "#/two", "#/three"]);
    expect(pageviews().every((e) => e.h === 1)).toBe(true);
  });

  it("sends a 404 event for pages that mark themselves, by meta tag or config", async () => {
    rx.page("/meta", html("x", `<meta name="sightline:404">${snippet()}`));
    rx.page("/cfg", html("x", `${snippet()}<script>sightline("config","404",true)</script>`));
    await page.goto(`${rx.url}/meta`);
    await page.goto(`${rx.url}/cfg`);
    await until(() => rx.names().filter((n) => n === "404").length === 2);
    expect(rx.names().filter((n) => n === "pageview")).toHaveLength(2);
  });

  it("ignores automated browsers without data-automation=allow", async () => {
    rx.page("/bot", html("x", '<script src="/sl/s.js" data-site="test.example"></script>'));
    await page.goto(`${rx.url}/bot`);
    await sleep(600);
    expect(rx.batches).toHaveLength(0);
  });
});

describe("auto-capture", () => {
  it("captures outbound clicks: left, middle and keyboard", async () => {
    rx.page(
      "/links",
      html(`<a id=o href="https://other.example/x?y=1" onclick="event.preventDefault()">out</a>
<a id=in href="/inside" onclick="event.preventDefault()">in</a>`),
    );
    await page.goto(`${rx.url}/links`);
    await page.click("#in");
    await page.click("#o");
    await page.click("#o", { button: "middle" });
    await page.focus("#o");
    await page.keyboard.press("Enter");
    await until(() => rx.names().filter((n) => n === "outbound").length >= 3);
    await sleep(300);
    const out = rx.events().filter((e) => e.n === "outbound");
    expect(out).toHaveLength(3);
    expect(out[0]!.p).toEqual({ url: "https://other.example/x?y=1" });
  });

  it("captures downloads by extension, with query or fragment, and extra extensions", async () => {
    rx.page(
      "/dl",
      html(
        `<a id=a href="/files/report.pdf?v=2#page=3">pdf</a><a id=b href="/cal.ics">ics</a>
<a id=c href="/page.html">page</a><a id=d href="/x" download>attr</a>
<script>document.addEventListener("click", (e) => e.preventDefault())</script>`,
        snippet('data-downloads="ics, ipynb"'),
      ),
    );
    await page.goto(`${rx.url}/dl`);
    for (const id of ["a", "b", "c", "d"]) await page.click(`#${id}`);
    await until(() => rx.names().filter((n) => n === "download").length >= 3);
    await sleep(300);
    expect(
      rx
        .events()
        .filter((e) => e.n === "download")
        .map((e) => e.p?.url),
    ).toEqual([`${rx.url}/files/report.pdf?v=2#page=3`, `${rx.url}/cal.ics`, `${rx.url}/x`]);
    expect(rx.names()).not.toContain("outbound");
  });

  it("captures form submissions with the form id or name and action path, never values", async () => {
    rx.page(
      "/form",
      html(`<form id=signup action="/join?src=x" method=post onsubmit="event.preventDefault()">
<input name=email value="secret@example.com"><button id=go>go</button></form>
<form name=search onsubmit="event.preventDefault()"><input name=q value=hidden-text><button id=s>s</button></form>`),
    );
    await page.goto(`${rx.url}/form`);
    await page.click("#go");
    await page.click("#s");
    await until(() => rx.names().filter((n) => n === "form").length >= 2);
    const forms = rx.events().filter((e) => e.n === "form");
    expect(forms.map((e) => e.p)).toEqual([
      { form: "signup", action: "/join" },
      { form: "search", action: "/form" },
    ]);
    const raw = JSON.stringify(rx.batches);
    expect(raw).not.toContain("secret@example.com");
    expect(raw).not.toContain("hidden-text");
  });

  it("sends scroll milestones once per pageview, and engaged time when the pageview ends", async () => {
    rx.page("/long", html('<div style="height:4000px">long</div>'));
    await page.setViewportSize({ width: 800, height: 1000 });
    await page.goto(`${rx.url}/long`);
    await page.mouse.move(10, 10);
    await sleep(400);
    await page.mouse.move(20, 20);
    await page.evaluate(() => scrollTo(0, 1100)); // (1100+1000)/4016 = 52 %
    await sleep(200);
    await page.evaluate(() => scrollTo(0, 0));
    await sleep(200);
    await page.evaluate(() => scrollTo(0, 4000)); // bottom
    await sleep(200);
    await page.evaluate(() => history.pushState({}, "", "/next")); // ends the pageview
    await until(() => rx.names().includes("engagement"));
    await sleep(300);
    expect(
      rx
        .events()
        .filter((e) => e.n === "scroll")
        .map((e) => e.sd),
    ).toEqual([25, 50, 75, 90, 100]);
    const [engagement] = rx.events().filter((e) => e.n === "engagement");
    expect(engagement!.u).toBe(`${rx.url}/long`);
    expect(engagement!.sd).toBe(100);
    expect(engagement!.em).toBeGreaterThan(900);
    expect(engagement!.em).toBeLessThan(10_000);
  });

  // Issue 12, item 8: a view without scrolling reported sd 0, even with all of it in view.
  it("scroll depth of a view without scrolling is the depth in view when it ends", async () => {
    rx.page("/app", html('<style>body{margin:0}</style><div id=v style="height:4000px">v</div>'));
    await page.setViewportSize({ width: 800, height: 1000 });
    const now = Date.now();
    await page.clock.install({ time: now });
    await page.clock.pauseAt(now + 1000);
    await page.goto(`${rx.url}/app`);
    await page.clock.runFor(1000);
    // A router: the new URL first, then the new view (short, so all of it is in view).
    await page.evaluate(() => {
      history.pushState({}, "", "/short");
      document.getElementById("v")!.style.height = "300px";
    });
    await page.clock.runFor(1000);
    await page.evaluate(() => history.pushState({}, "", "/end"));
    await page.clock.runFor(150);
    await until(() => rx.names().filter((n) => n === "engagement").length === 2);
    expect(
      rx
        .events()
        .filter((e) => e.n === "engagement")
        .map((e) => [new URL(e.u).pathname, e.sd]),
    ).toEqual([
      ["/app", 25], // 1000 of 4000 px in view
      ["/short", 100],
    ]);
    expect(rx.names()).not.toContain("scroll");
  });

  // Issue 12, item 9: 17 s without input gave em=15000, while the README promised input only.
  it("engaged time is the time the page is visible and focused, with or without input", async () => {
    rx.page("/e", html("<p>e</p>"));
    const now = Date.now();
    await page.clock.install({ time: now });
    await page.clock.pauseAt(now + 1000);
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        Object.defineProperty(document, "hidden", { value: h, configurable: true });
        document.dispatchEvent(new Event("visibilitychange"));
      }, hidden);
    const setFocus = (focus: boolean) =>
      page.evaluate((f) => {
        // Another app takes the focus: Chromium then answers hasFocus() false and fires blur.
        if (f) delete (document as { hasFocus?: unknown }).hasFocus;
        else document.hasFocus = () => false;
        dispatchEvent(new FocusEvent(f ? "focus" : "blur"));
      }, focus);
    await page.goto(`${rx.url}/e`);
    await page.clock.runFor(17_000); // no input at all
    await page.evaluate(() => history.pushState({}, "", "/e2"));
    await page.clock.runFor(2000);
    await setFocus(false);
    await page.clock.runFor(5000); // not counted: another window has the focus
    await setFocus(true);
    await page.clock.runFor(1000);
    await setHidden(true); // ends the view: 3 s engaged
    await page.clock.runFor(4000); // not counted: hidden
    await setHidden(false);
    await page.clock.runFor(500);
    await page.evaluate(() => history.pushState({}, "", "/e3"));
    await page.clock.runFor(150);
    await until(() => rx.names().filter((n) => n === "engagement").length === 3);
    expect(
      rx
        .events()
        .filter((e) => e.n === "engagement")
        .map((e) => [new URL(e.u).pathname, e.em]),
    ).toEqual([
      ["/e", 17_000],
      ["/e2", 3000],
      ["/e2", 500],
    ]);
  });

  it("sends engaged time when the tab is hidden, and data-exclude switches parts off", async () => {
    rx.page(
      "/ex",
      html('<div style="height:4000px">x</div>', snippet('data-exclude="scroll,forms"')),
    );
    await page.goto(`${rx.url}/ex`);
    await page.mouse.move(5, 5);
    await sleep(300);
    await page.evaluate(() => scrollTo(0, 4000));
    await sleep(200);
    // Hide the tab as the browser does when the user switches away.
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
      Object.defineProperty(document, "hidden", { value: true, configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await until(() => rx.names().includes("engagement"));
    expect(rx.names()).not.toContain("scroll");
  });
});
