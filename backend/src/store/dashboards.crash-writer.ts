// The writer of the kill -9 test in dashboards.test.ts: creates, changes and deletes dashboards
// through the store module in a tight loop until it is killed, appending one line per write to an
// acknowledgement file only after the write returned.
//   node --import tsx src/store/dashboards.crash-writer.ts <lmdb dir> <ack file>
import { openSync, writeSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { open } from "lmdb";
import type { DashboardContent } from "../schemas/dashboards.ts";
import { DashboardStore } from "./dashboards.ts";

/**
 * The content written as `version`: every part says which version it belongs to, and sizes vary
 * (up to 50 widgets, about 200 KB), so a torn or mixed write cannot pass for a whole one.
 */
export function crashContent(version: number): DashboardContent {
  const count = 1 + ((version * 7) % 50);
  const widgets = Array.from({ length: count }, (_, i) => ({
    id: `w${i}`,
    name: `v${version} #${i}`,
    ...(i % 2
      ? {
          source: { kind: "none" as const },
          visual: { type: "text" as const, options: { markdown: `v${version} `.repeat(400) } },
        }
      : {
          source: {
            kind: "query" as const,
            spec: {
              sites: ["crash.test"],
              from: "2026-01-01",
              to: "2026-01-31",
              tz: "UTC",
              metrics: ["visitors" as const],
              limit: version,
            },
          },
          visual: { type: "line" as const },
        }),
  }));
  return {
    name: `v${version}`,
    description: `v${version}`,
    sites: ["crash.test"],
    widgets,
    layout: widgets.map((w, i) => ({ widget: w.id, x: 0, y: i * 4, w: 12, h: 4 })),
    defaults: { compare: null, filters: [] },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, ackPath] = process.argv.slice(2);
  if (!dir || !ackPath) {
    console.error("usage: dashboards.crash-writer.ts <lmdb dir> <ack file>");
    process.exit(2);
  }
  const store = new DashboardStore(open({ path: dir }));
  const ack = openSync(ackPath, "a");
  const live = store.list().map((d) => d.id);
  for (;;) {
    const roll = Math.random();
    const id = live[Math.floor(Math.random() * live.length)];
    if (id === undefined || live.length < 4 || roll < 0.05) {
      const created = store.create(crashContent(1), "crash@example.test");
      live.push(created.id);
      writeSync(ack, `${created.id} 1\n`);
    } else if (roll < 0.08) {
      const current = store.get(id);
      // Said first: killed between the delete and its acknowledgement, either state is right.
      writeSync(ack, `${id} deleting\n`);
      if (current && store.remove(id, current.version).status === "ok") {
        live.splice(live.indexOf(id), 1);
        writeSync(ack, `${id} deleted\n`);
      }
    } else {
      const current = store.get(id);
      if (!current) continue;
      const result = store.update(id, current.version, "crash@example.test", () =>
        crashContent(current.version + 1),
      );
      if (result.status === "ok") writeSync(ack, `${id} ${result.dashboard.version}\n`);
    }
  }
}
