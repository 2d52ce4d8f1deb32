import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import {
  ADMIN,
  DESKTOP,
  ensureScreenshotDir,
  PHONE,
  settled,
  signedInContext,
} from "./dashboard-stack.ts";
import { api, type RunningStack, startProcess } from "./process.ts";

// The settings pages in Chromium against the real stack: an admin invites an editor, who accepts
// through the one-time link and changes their password; the admin changes a site's time zone and
// the editor's role, reads both in the audit log, and deletes a site by typing its id. Then every
// settings page in both themes on a desktop and a phone: a screenshot each (artifacts/screenshots/)
// and axe-core's WCAG 2.1 A and AA rules, with no serious or critical violation allowed.

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const SHOP = { id: "shop.test", name: "Shop", domains: ["shop.test"] };
const DOOMED = { id: "old.test", name: "Old site", domains: ["old.test"] };
const EDITOR = {
  email: "editor@e2e.test",
  first: "copper kettle under the willow",
  second: "seven quiet lanterns drift north",
};

let stack: RunningStack;
let dataDir: string;
let browser: Browser;
let token: string;

async function call<T>(path: string, init: RequestInit & { token?: string } = {}) {
  return api<T>(stack.url, path, { token, ...init });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sl-e2e-settings-"));
  [stack, browser] = await Promise.all([
    startProcess({
      SIGHTLINE_DATA_DIR: dataDir,
      SIGHTLINE_ADMIN_EMAIL: ADMIN.email,
      SIGHTLINE_ADMIN_PASSWORD: ADMIN.password,
      // The admin's access token is put straight into browser contexts with no refresh cookie.
      SIGHTLINE_AUTH_TOKEN_TTL: "6h",
    }),
    launchChromium(),
  ]);
  const login = await api<{ token: string }>(stack.url, "/api/v1/auth/login", {
    method: "POST",
    body: JSON.stringify(ADMIN),
  });
  expect(login.status).toBe(200);
  token = login.body.token;
  for (const site of [SHOP, DOOMED]) {
    const created = await call("/api/v1/sites", { method: "POST", body: JSON.stringify(site) });
    expect(created.status).toBe(201);
  }
});

afterAll(async () => {
  await browser?.close();
  await stack?.kill("SIGTERM");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A browser context, signed in as the admin unless `signedIn` is false. */
const context = (signedIn = true, options: Parameters<typeof signedInContext>[2] = {}) =>
  signedInContext(browser, signedIn ? token : null, options);

async function open(page: Page, path: string, ready: string): Promise<void> {
  await page.goto(`${stack.url}${path}`);
  await page.locator(ready).first().waitFor({ timeout: 30_000 });
  await settled(page);
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(stack.url);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Settings" }).waitFor();
}

describe("accounts in the settings pages", () => {
  let editorId = "";

  it("an admin invites an editor, who accepts through the link and changes their password", async () => {
    const admin = await context();
    const invitee = await context(false);
    try {
      const page = await admin.newPage();
      await open(page, "/settings/users", "#invite-email");
      await page.getByLabel("Email").fill(EDITOR.email);
      await page.getByLabel("Shop").selectOption("editor");
      await page.getByRole("button", { name: "Create invitation link" }).click();
      const url = (await page.getByTestId("invitation-url").textContent())?.trim() ?? "";
      expect(url).toMatch(new RegExp(`^${stack.url}/invitation#token=\\S+$`));
      await expect
        .poll(() => page.getByTestId("invitations").textContent())
        .toContain(EDITOR.email);

      // The invitee opens the link: what it offers, then a password the server finds too weak.
      const guest = await invitee.newPage();
      await guest.goto(url);
      await guest.getByRole("heading", { name: "Accept the invitation" }).waitFor();
      expect(await guest.getByLabel("Email").inputValue()).toBe(EDITOR.email);
      expect(await guest.locator(".auth-card").textContent()).toContain("editor of shop.test");
      await guest.getByLabel("Choose a password").fill("password1234");
      await guest.getByLabel("Repeat the new password").fill("password1234");
      await guest.getByRole("button", { name: "Create my account and sign in" }).click();
      expect(await guest.getByRole("alert").textContent()).toMatch(
        /^The new password is too easy to guess: /,
      );
      await guest.getByLabel("Choose a password").fill(EDITOR.first);
      await guest.getByLabel("Repeat the new password").fill(EDITOR.first);
      await guest.getByRole("button", { name: "Create my account and sign in" }).click();
      await guest.waitForURL(`${stack.url}/sites/shop.test`);
      expect(await guest.locator(".user-email").textContent()).toBe(EDITOR.email);

      // An editor's settings: their account, API tokens and share links.
      await guest.getByRole("link", { name: "Settings" }).click();
      await guest.getByRole("heading", { name: "Change your password" }).waitFor();
      const nav = guest.getByRole("navigation", { name: "Settings" });
      expect(await nav.getByRole("link").allTextContents()).toEqual([
        "Your account",
        "API tokens",
        "Share links",
      ]);
      await guest.getByLabel("Current password").fill(EDITOR.first);
      await guest.getByLabel("New password", { exact: true }).fill("aaaaaaaaaaaa");
      await guest.getByLabel("Repeat the new password").fill("aaaaaaaaaaaa");
      await guest.getByRole("button", { name: "Change password" }).click();
      expect(await guest.getByRole("alert").textContent()).toMatch(
        /^The new password is too easy to guess: it repeats characters/,
      );
      await guest.getByLabel("New password", { exact: true }).fill(EDITOR.second);
      await guest.getByLabel("Repeat the new password").fill(EDITOR.second);
      await guest.getByRole("button", { name: "Change password" }).click();
      await guest.getByTestId("password-changed").waitFor();
      // Every other session ended: this browser's is the one left.
      expect(await guest.getByTestId("sessions").locator("li").allTextContents()).toEqual([
        expect.stringContaining("this browser"),
      ]);

      // The new password signs in, the old one no longer does.
      await guest.getByRole("button", { name: "Sign out" }).click();
      await guest.getByLabel("Email").fill(EDITOR.email);
      await guest.getByLabel("Password").fill(EDITOR.first);
      await guest.getByRole("button", { name: "Sign in" }).click();
      await guest.getByRole("alert").waitFor();
      await signIn(guest, EDITOR.email, EDITOR.second);
      await guest.goto(`${stack.url}/settings/users`);
      await guest.getByRole("heading", { name: "Not available to you" }).waitFor();

      // The editor shares the site's dashboard; a browser nobody signed in to opens the link.
      await guest.goto(`${stack.url}/settings/shares`);
      await guest.getByLabel("Dashboard").selectOption(`site:${SHOP.id}`);
      await guest.getByRole("button", { name: "Create link" }).click();
      const shared =
        (await guest.getByTestId("share-url").locator("pre").first().textContent())?.trim() ?? "";
      expect(shared).toMatch(new RegExp(`^${stack.url}/share/\\S+$`));
      const anonymous = await browser.newContext();
      try {
        const viewer = await anonymous.newPage();
        await viewer.goto(shared);
        await viewer.getByTestId("shared-badge").waitFor();
        await viewer.locator("[data-testid=kpi-visitors]").waitFor({ timeout: 30_000 });
      } finally {
        await anonymous.close();
      }
    } finally {
      await admin.close();
      await invitee.close();
    }
    const users = await call<{ users: { id: string; email: string; sites: object }[] }>(
      "/api/v1/users",
    );
    const editor = users.body.users.find((u) => u.email === EDITOR.email);
    expect(editor?.sites).toEqual({ [SHOP.id]: "editor" });
    editorId = editor?.id ?? "";
  });

  it("the admin changes a site's time zone and the editor's role, and reads both in the audit log", async () => {
    const admin = await context();
    try {
      const page = await admin.newPage();
      await open(page, `/settings/sites/${SHOP.id}`, "#site-tz");
      await page.getByLabel("Reporting time zone").selectOption("Europe/Berlin");
      await page.getByLabel("Fingerprint").check();
      await page.getByTestId("consent-note").waitFor();
      await page.getByLabel("Cookieless").check();
      expect(await page.getByTestId("consent-note").count()).toBe(0);
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByTestId("site-saved").waitFor();
      expect(await page.getByTestId("snippet").textContent()).toContain(`data-site="${SHOP.id}"`);

      const role = page.getByLabel(`Role of ${EDITOR.email}`);
      expect(await role.inputValue()).toBe("editor");
      await role.selectOption("admin");
      await expect
        .poll(
          async () =>
            (
              await call<{ members: { email: string; role: string }[] }>(
                `/api/v1/sites/${SHOP.id}/members`,
              )
            ).body.members.find((m) => m.email === EDITOR.email)?.role,
        )
        .toBe("admin");

      await page.getByRole("link", { name: "Audit log" }).click();
      await page.getByTestId("audit").waitFor();
      const actions = await page
        .locator("[data-testid=audit] tbody tr")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")));
      expect(actions.slice(0, 6)).toEqual([
        "member.role_changed",
        "site.updated",
        "share.created",
        "password.changed",
        "invitation.accepted",
        "invitation.created",
      ]);
      const updated = page.locator("[data-testid=audit] tr[data-action='site.updated']");
      expect(await updated.textContent()).toContain("timezone");
      const changed = page.locator("[data-testid=audit] tr[data-action='member.role_changed']");
      expect(await changed.textContent()).toMatch(/editor@e2e\.test.*from: editor · to: admin/);
    } finally {
      await admin.close();
    }
    const site = await call<{ timezone: string }>(`/api/v1/sites/${SHOP.id}`);
    expect(site.body.timezone).toBe("Europe/Berlin");
    expect(editorId).not.toBe("");
  });

  it("a site is deleted only once its id is typed", async () => {
    const admin = await context();
    try {
      const page = await admin.newPage();
      await open(page, `/settings/sites/${DOOMED.id}`, "#site-tz");
      await page.getByRole("button", { name: `Delete ${DOOMED.name}…` }).click();
      const dialog = page.getByRole("dialog");
      const confirm = dialog.getByRole("button", { name: "Delete the site and its data" });
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel("Site id").fill("old.tes");
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel("Site id").fill(DOOMED.id);
      await confirm.click();
      await page.waitForURL(`${stack.url}/settings/sites`);
      await page.getByRole("heading", { name: "Sites" }).waitFor();
      await expect
        .poll(() => page.locator(".settings-list").textContent())
        .not.toContain(DOOMED.name);
    } finally {
      await admin.close();
    }
    const sites = await call<{ sites: { id: string }[] }>("/api/v1/sites");
    expect(sites.body.sites.map((s) => s.id)).toEqual([SHOP.id]);
    const audit = await call<{ entries: { action: string; target: { id: string } }[] }>(
      "/api/v1/audit",
    );
    expect(audit.body.entries[0]).toMatchObject({
      action: "site.deleted",
      target: { id: DOOMED.id },
    });
  });
});

const VARIANTS = [
  { name: "desktop-light", theme: "light", viewport: DESKTOP },
  { name: "desktop-dark", theme: "dark", viewport: DESKTOP },
  { name: "phone-light", theme: "light", viewport: PHONE },
  { name: "phone-dark", theme: "dark", viewport: PHONE },
] as const;

interface Violation {
  id: string;
  impact: "minor" | "moderate" | "serious" | "critical" | null;
  help: string;
  nodes: { target: string[] }[];
}

async function axe(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate("typeof window.axe === 'object'"))) {
    await page.addScriptTag({ content: AXE });
  }
  const result = await page.evaluate<{ violations: Violation[] }>(
    `axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"] },
      resultTypes: ["violations"],
    })`,
  );
  return result.violations;
}

describe("every settings page, both themes, desktop and phone", () => {
  let invitation = "";

  beforeAll(async () => {
    const created = await call<{ url: string }>("/api/v1/invitations", {
      method: "POST",
      body: JSON.stringify({
        email: "viewer@e2e.test",
        sites: [{ site: SHOP.id, role: "viewer" }],
      }),
    });
    expect(created.status).toBe(201);
    invitation = created.body.url.replace(/^https?:\/\/[^/]+/, "");
  });

  const views = () => [
    { name: "settings-account", path: "/settings/account", ready: "[data-testid=sessions]" },
    { name: "settings-users", path: "/settings/users", ready: "[data-testid=users]" },
    { name: "settings-sites", path: "/settings/sites", ready: ".settings-list" },
    { name: "settings-site", path: `/settings/sites/${SHOP.id}`, ready: "[data-testid=members]" },
    { name: "settings-audit", path: "/settings/audit", ready: "[data-testid=audit]" },
    { name: "invitation", path: invitation, ready: "#link-new", signedOut: true },
  ];

  for (const variant of VARIANTS) {
    it(`${variant.name}: screenshots, and no serious or critical axe violation`, async () => {
      const dir = ensureScreenshotDir();
      const contexts: BrowserContext[] = [
        await context(true, variant),
        await context(false, variant),
      ];
      const severe: string[] = [];
      try {
        const [signedIn, signedOut] = await Promise.all(contexts.map((c) => c.newPage()));
        if (!signedIn || !signedOut) throw new Error("no page");
        for (const view of views()) {
          const page = view.signedOut ? signedOut : signedIn;
          await open(page, view.path, view.ready);
          expect(await page.evaluate("document.documentElement.dataset.theme")).toBe(variant.theme);
          await page.screenshot({
            path: join(dir, `${view.name}-${variant.name}.png`),
            fullPage: true,
          });
          for (const v of await axe(page)) {
            if (v.impact === "serious" || v.impact === "critical")
              severe.push(
                `${view.name}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes
                  .slice(0, 3)
                  .map((n) => n.target.join(" "))
                  .join(", ")}`,
              );
          }
        }
      } finally {
        for (const c of contexts) await c.close();
      }
      expect(severe).toEqual([]);
    });
  }
});
