import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings } from "@sightline/config";
import type { SiteRole } from "../auth/permissions.ts";
import { type Stack, type StackOptions, startStack } from "../stack.ts";
import type { User } from "../store/users.ts";

export const ADMIN = { email: "admin@example.test", password: "correct horse battery staple" };

/** A whole all-in-one stack in this test process, on a fresh data folder. */
export async function testStack(
  env: Record<string, string> = {},
  options: Pick<StackOptions, "now" | "storeNow" | "hashing" | "fastify"> = {},
): Promise<Stack & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "sl-backend-"));
  const settings = loadSettings({
    cwd: dataDir,
    env: { SIGHTLINE_DATA_DIR: dataDir, SIGHTLINE_SHIPPER_INTERVAL_MS: "50", ...env },
  });
  const stack = await startStack(settings, { log: () => {}, ...options });
  return { ...stack, dataDir };
}

export async function login(stack: Stack, who = ADMIN): Promise<string> {
  const res = await stack.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: who });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { token: string }).token;
}

/** A user straight in the store (as an invitation would make one), with roles by site. */
export async function addUser(
  stack: Stack,
  who: { email: string; password: string },
  access: { instanceAdmin?: boolean; roles?: Record<string, SiteRole> } = {},
): Promise<User> {
  const user = stack.store.users.create({
    email: who.email,
    passwordHash: await stack.passwords.hash(who.password),
    ...access,
  });
  if (!user) throw new Error(`user ${who.email} exists`);
  return user;
}

/** Gives a user a role on a site (null removes it), as PUT /sites/:id/members/:userId does. */
export function setRole(stack: Stack, email: string, site: string, role: SiteRole | null): void {
  const user = stack.store.users.byEmail(email);
  if (!user) throw new Error(`no user ${email}`);
  stack.store.users.update(user.id, (u) => {
    const { [site]: _, ...roles } = u.roles;
    return { ...u, roles: role ? { ...roles, [site]: role } : roles };
  });
}

export function adminEnv(): Record<string, string> {
  return { SIGHTLINE_ADMIN_EMAIL: ADMIN.email, SIGHTLINE_ADMIN_PASSWORD: ADMIN.password };
}

export function pageview(id: string, url = "https://example.com/", visitor = "visitor-1") {
  return { i: id, n: "pageview", t: Date.now(), u: url, v: visitor, x: "session-1" };
}
