import { chmodSync, existsSync, unlinkSync } from "node:fs";
import { createServer, request } from "node:http";
import { join } from "node:path";

/**
 * The local admin socket: a Unix socket in the data folder (mode 0600, so only the server's own
 * user can connect) through which `sightline` runs commands inside the running server. Embedded
 * ClickHouse locks its folder to one process, so while the stack runs this is the only way in.
 *
 * Protocol: `POST /run` with `{command, args, options}`; the answer streams NDJSON lines
 * `{"out": "..."}` as the command prints, then one `{"exit": n}` (with `error` when it failed).
 */
export const ADMIN_SOCKET = "admin.sock";

export interface AdminRequest {
  command: string;
  args: string[];
  options: Record<string, string | boolean | undefined>;
}

export type AdminRunner = (request: AdminRequest, out: (line: string) => void) => Promise<number>;

export function adminSocketPath(dataDir: string): string {
  return join(dataDir, ADMIN_SOCKET);
}

function isRequest(value: unknown): value is AdminRequest {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.command === "string" &&
    Array.isArray(v.args) &&
    v.args.every((a) => typeof a === "string") &&
    typeof v.options === "object" &&
    v.options !== null
  );
}

/** Serves the admin socket at `path`; resolves once it listens. A stale socket file is replaced. */
export async function serveAdminSocket(
  path: string,
  run: AdminRunner,
  log: (line: string) => void = () => {},
): Promise<{ close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/run") {
      res.writeHead(404).end();
      return;
    }
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > 1_000_000) req.destroy();
    });
    req.on("end", async () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = null;
      }
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      const send = (message: object) => {
        if (!res.destroyed) res.write(`${JSON.stringify(message)}\n`);
      };
      if (!isRequest(parsed)) {
        send({ exit: 2, error: "malformed admin request" });
        res.end();
        return;
      }
      try {
        const exit = await run(parsed, (line) => send({ out: line }));
        send({ exit });
      } catch (error) {
        const e = error as Error & { exitCode?: number };
        send({ exit: e.exitCode ?? 1, error: e.message });
      }
      res.end();
    });
  });
  if (existsSync(path)) {
    // A socket left by a process that was killed: nothing answers on it any more.
    if (await answers(path)) throw new Error(`another Sightline server already serves ${path}`);
    unlinkSync(path);
  }
  // The socket is created under a umask that leaves it to its owner, then set to 0600 again.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  chmodSync(path, 0o600);
  log(`admin socket: ${path} (sightline commands run through it while this server runs)`);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Whether a server answers on the socket. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: path, method: "GET", path: "/", timeout: 2000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/** Thrown by a command that failed inside the server; `exitCode` is the one it chose. */
export class RemoteCommandError extends Error {
  override name = "RemoteCommandError";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/**
 * Runs the command inside the server that serves the socket, printing its output as it comes.
 * Resolves null when no server answers there (no socket, or a stale one), so the caller runs the
 * command itself.
 */
export function runThroughSocket(
  path: string,
  body: AdminRequest,
  out: (line: string) => void,
): Promise<number | null> {
  if (!existsSync(path)) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    let started = false;
    const req = request(
      {
        socketPath: path,
        method: "POST",
        path: "/run",
        headers: { "content-type": "application/json" },
      },
      (res) => {
        started = true;
        let buffer = "";
        let exit: number | null = null;
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buffer += chunk;
          let nl = buffer.indexOf("\n");
          while (nl !== -1) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            nl = buffer.indexOf("\n");
            const message = JSON.parse(line) as { out?: string; exit?: number; error?: string };
            if (message.out !== undefined) out(message.out);
            if (message.exit !== undefined) {
              exit = message.exit;
              if (message.error) {
                reject(new RemoteCommandError(message.error, message.exit));
                return;
              }
            }
          }
        });
        res.on("end", () => {
          if (exit === null)
            reject(new Error("the server closed the admin socket before the command finished"));
          else resolve(exit);
        });
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      // Nothing listens: a socket file left by a server that was killed.
      if (!started && (error.code === "ECONNREFUSED" || error.code === "ENOENT")) resolve(null);
      else reject(error);
    });
    req.end(JSON.stringify(body));
  });
}
