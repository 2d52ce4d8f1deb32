import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cookielessVisitorId, utcDay } from "../index.ts";
import { DurableSaltStore, SALT_LIFETIME_MS, saltExpiresAt } from "./salts.ts";

const DAY_MS = 86_400_000;
const keeper = () => env.SALTS.get(env.SALTS.idFromName("salts"));

describe("daily salts in the SaltKeeper Durable Object", () => {
  it("gives every instance the same random salt, even when they all ask first at once", async () => {
    // A day that nobody has asked for yet in this run (tomorrow), so the salt is created here.
    const day = utcDay(Date.now() + DAY_MS);
    const instances = Array.from({ length: 8 }, () => new DurableSaltStore(env.SALTS));
    const salts = await Promise.all(instances.map((store) => store.saltFor(day)));
    expect(new Set(salts).size).toBe(1);
    expect(salts[0]).toMatch(/^[0-9a-f]{64}$/);
    // A later request on a fresh instance still gets it.
    expect(await new DurableSaltStore(env.SALTS).saltFor(day)).toBe(salts[0]);
    // Another day gets another salt.
    expect(await instances[0]!.saltFor(utcDay(Date.now()))).not.toBe(salts[0]);
  });

  it("schedules the deletion of each salt 48 hours after its day began", async () => {
    const today = utcDay(Date.now());
    await new DurableSaltStore(env.SALTS).saltFor(today);
    const alarm = await runInDurableObject(keeper(), (_instance, state) =>
      state.storage.getAlarm(),
    );
    expect(saltExpiresAt(today) - Date.parse(`${today}T00:00:00Z`)).toBe(SALT_LIFETIME_MS);
    // The earliest expiry of the stored salts (yesterday's, when a test stored one, else today's).
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(saltExpiresAt(today));
    expect(alarm!).toBeGreaterThan(Date.now());
  });

  it("deletes a salt once 48 hours have passed, so its hashes cannot be recomputed", async () => {
    const stub = keeper();
    const expiredDay = utcDay(Date.now() - 2 * DAY_MS); // its 48 h ended at midnight today
    const yesterday = utcDay(Date.now() - DAY_MS); // still within its 48 h
    const oldSalt = "a".repeat(64);
    await runInDurableObject(stub, async (_instance, state) => {
      await state.storage.put(`salt:${expiredDay}`, oldSalt);
      await state.storage.put(`salt:${yesterday}`, "b".repeat(64));
      // Far enough ahead that it does not fire by itself before the test runs it.
      await state.storage.setAlarm(Date.now() + 3_600_000);
    });
    const visitor = await cookielessVisitorId(oldSalt, "shop.example", "203.0.113.5", "UA");

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const days = await stub.days();
    expect(days).not.toContain(expiredDay);
    expect(days).toContain(yesterday);
    expect(await stub.saltFor(expiredDay)).toEqual({
      ok: false,
      error: `the salt of ${expiredDay} has been deleted`,
    });
    await expect(new DurableSaltStore(env.SALTS).saltFor(expiredDay)).rejects.toThrow("deleted");
    // Nothing that still exists recreates the old hash.
    for (const day of days) {
      const salt = await new DurableSaltStore(env.SALTS).saltFor(day);
      expect(await cookielessVisitorId(salt, "shop.example", "203.0.113.5", "UA")).not.toBe(
        visitor,
      );
    }
    // The next alarm is the next salt's expiry.
    const alarm = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
    expect(alarm).toBe(Math.min(...days.map(saltExpiresAt)));
  });

  it("also prunes expired salts when a new day is asked for, without waiting for the alarm", async () => {
    const stub = keeper();
    const expiredDay = utcDay(Date.now() - 3 * DAY_MS);
    await runInDurableObject(stub, (_instance, state) =>
      state.storage.put(`salt:${expiredDay}`, "c".repeat(64)),
    );
    await stub.saltFor(utcDay(Date.now()));
    expect(await stub.days()).not.toContain(expiredDay);
  });

  it("refuses a malformed day", async () => {
    expect(await keeper().saltFor("2026-13-45")).toEqual({
      ok: false,
      error: "not a day: 2026-13-45",
    });
    await expect(new DurableSaltStore(env.SALTS).saltFor("yesterday")).rejects.toThrow("not a day");
  });
});
