import { loadSettings, SettingsError } from "@sightline/config";
import { startStack } from "./stack.ts";

const log = (line: string) => console.log(`[sightline] ${line}`);

async function main(): Promise<void> {
  let settings: ReturnType<typeof loadSettings>;
  try {
    settings = loadSettings();
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  log(
    settings.configFile
      ? `settings from ${settings.configFile}`
      : "no sightline.yaml: using defaults and environment",
  );
  log(
    `data in ${settings.dataDir}; ClickHouse ${settings.clickhouse.url ? settings.clickhouse.url : "embedded (chDB)"}`,
  );

  let stack: Awaited<ReturnType<typeof startStack>>;
  try {
    stack = await startStack(settings, {
      log,
      // Requests are logged by method and path only (src/security.ts): no raw client addresses,
      // no query strings.
      fastify: { logger: { level: process.env.SIGHTLINE_LOG_LEVEL ?? "warn" } },
    });
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const address = await stack.app.listen({
    host: settings.server.host,
    port: settings.server.port,
  });
  const shown = address.replace("://0.0.0.0", "://localhost").replace("://[::]", "://localhost");
  log(`ready: open ${shown}`);
  log(`tracker snippet: <script defer src="${shown}/sl/s.js" data-site="your-site.com"></script>`);
  const token = stack.issueSetupToken();
  if (token) {
    log("no admin yet. Open this link once to create one (the token is valid until restart):");
    log(`  ${shown}/?setup=${token}`);
    log(
      "or set SIGHTLINE_ADMIN_EMAIL and SIGHTLINE_ADMIN_PASSWORD (12+ characters, not easy to guess) and restart.",
    );
  } else {
    log("sign in with your admin email and password.");
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await stack.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`[sightline] failed to start: ${(error as Error).message}`);
  process.exit(1);
});
