import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  adminSocketPath,
  FileSaltStore,
  loadTrackerAsset,
  loadTrackerPlugins,
  runInServer,
  type Shipper,
  SpoolGuard,
  serveAdminSocket,
  shipperFromSettings,
  spoolWriterFromSettings,
} from "@sightline/collector-node";
import {
  deleteSiteData,
  migrate,
  openClickHouse,
  type Settings,
  SettingsError,
  setSiteRetention,
} from "@sightline/config";
import type { FastifyServerOptions } from "fastify";
import { buildApp } from "./app.ts";
import { PasswordHasher } from "./auth/password.ts";
import { passwordProblem } from "./auth/policy.ts";
import { SetupToken } from "./auth/setup-token.ts";
import { readinessProbe } from "./health.ts";
import { FRONTEND_DIR, TRACKER_BUNDLE } from "./paths.ts";
import { loadDatabaseZones } from "./query/zones.ts";
import { loadOrCreateJwtSecret } from "./secrets.ts";
import { MetaStore } from "./store/store.ts";

export interface StackOptions {
  log: (line: string) => void;
  fastify?: FastifyServerOptions;
  /** The collector's clock; the real one unless a test sets it. */
  now?: () => number;
  /** The clock of sessions, links and records in LMDB; the real one unless a test sets it. */
  storeNow?: () => Date;
  /** Hashes at once and waiting (src/auth/password.ts); tests make them small. */
  hashing?: { concurrency?: number; queue?: number };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/**
 * The all-in-one process: collector, spool, shipper, embedded (or remote) ClickHouse, LMDB,
 * API and dashboard. Everything that touches an embedded engine lives here, in one process.
 */
export async function startStack(
  settings: Settings,
  { log, fastify, now, storeNow, hashing }: StackOptions,
) {
  if (!existsSync(join(FRONTEND_DIR, "index.html"))) {
    throw new Error(`dashboard build not found in ${FRONTEND_DIR}: run "pnpm build" first`);
  }
  const tracker = loadTrackerAsset(TRACKER_BUNDLE);
  const trackerPlugins = loadTrackerPlugins(dirname(TRACKER_BUNDLE));

  const ch = openClickHouse(settings);
  await migrate(ch.client, undefined, log);
  // Time zones are checked against the database's own list, so none that passes fails a query.
  await loadDatabaseZones(ch).catch((error: Error) =>
    log(`time zones: using Node's list only (${error.message})`),
  );

  const store = new MetaStore(join(settings.dataDir, "lmdb"), { now: storeNow });
  // Users of the single-role days become instance admins or viewers of every site (once).
  const users = store.users.migrateStored(store.listSites().map((s) => s.id));
  if (users.migrated) log(`users: ${users.migrated} records upgraded to per-site roles`);
  // Stored dashboards of an older layout are rewritten once, here, in one transaction.
  const dashboards = store.dashboards.migrateStored();
  if (dashboards.migrated) log(`dashboards: ${dashboards.migrated} records upgraded`);
  if (dashboards.newer) {
    log(`dashboards: ${dashboards.newer} records are from a newer Sightline and cannot be read`);
  }
  const jwtSecret = settings.auth.jwtSecret || loadOrCreateJwtSecret(settings.dataDir);
  const setupToken = new SetupToken();
  const passwords = new PasswordHasher(hashing);
  const { email, password } = settings.admin;
  if (store.users.count() === 0 && email && password) {
    const problem = passwordProblem(password, [email]);
    if (problem) {
      await store.close();
      await ch.close();
      throw new SettingsError(
        `Invalid settings:\n  admin.password (SIGHTLINE_ADMIN_PASSWORD) ${problem}`,
      );
    }
    const admin = store.users.create(
      { email, instanceAdmin: true, passwordHash: await passwords.hash(password) },
      { onlyIfNoUsers: true },
    );
    if (admin) {
      store.audit.record({
        actor: null,
        action: "setup.completed",
        target: { type: "user", id: admin.id, label: admin.email },
        details: { from: "settings" },
      });
    }
    log(`admin ${email} created from settings`);
  }

  let shipper: Shipper | null = null;
  const writer = spoolWriterFromSettings(settings, () => shipper?.poke());
  const guard = new SpoolGuard({
    dir: settings.spool.dir,
    maxBytes: settings.spool.maxBytes,
    lowDiskBytes: settings.spool.lowDiskBytes,
    log,
  });
  if (settings.shipper.enabled) {
    shipper = shipperFromSettings(settings, ch, {
      isSealed: (file) => file !== writer.activeFile,
      log,
    });
    shipper.start();
  }

  const app = await buildApp(
    {
      settings,
      ch,
      store,
      jwtSecret,
      setupToken,
      passwords,
      siteData: {
        setRetention: (site, retention) => setSiteRetention(ch.client, site, retention),
        deleteData: (site) => deleteSiteData(ch.client, site),
      },
      salts: new FileSaltStore(join(settings.dataDir, "salts")),
      // Past spool.maxBytes the append fails and ingest answers 503: trackers keep their events.
      appendToSpool: async (lines) => {
        await guard.admit(Buffer.byteLength(lines));
        await writer.append(lines);
      },
      tracker,
      trackerPlugins,
      readiness: readinessProbe({
        ch,
        spoolDir: settings.spool.dir,
        spoolMaxBytes: settings.spool.maxBytes,
        shipper,
      }),
      frontendDir: FRONTEND_DIR,
      now,
    },
    fastify,
  );

  // `sightline` commands run in here while the stack holds the embedded engine.
  const admin = await serveAdminSocket(
    adminSocketPath(settings.dataDir),
    (request, out) =>
      runInServer(
        settings,
        { ch, shipsSpool: shipper !== null, backupLmdb: (dir) => store.backup(dir) },
        request,
        out,
      ),
    log,
  ).catch((error: Error) => {
    log(`admin socket not served (${error.message}): sightline commands need this server stopped`);
    return null;
  });

  return {
    app,
    ch,
    store,
    shipper,
    /** A fresh one-time admin setup token when there is no user yet, else null. */
    passwords,
    issueSetupToken: () => (store.users.count() === 0 ? setupToken.issue() : null),
    async close(): Promise<void> {
      await admin?.close();
      await app.close();
      await writer.close();
      await shipper?.stop();
      await ch.close();
      await store.close();
    },
  };
}
