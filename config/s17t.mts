import { rmSync } from "node:fs";
import { loadSettings, openClickHouse, migrate, Materializer } from "@sightline/config";
import { dataset, withDuplicates } from "../backend/src/query/fixture.ts";
import { compileQuery } from "../backend/src/query/compile.ts";
import { resolveRange } from "../backend/src/query/time.ts";
const dir = "/tmp/s17-mig";
rmSync(dir, { recursive: true, force: true });
const ch = openClickHouse(loadSettings({ cwd: dir, env: { SIGHTLINE_DATA_DIR: dir } }));
await migrate(ch.client);
await ch.client.insert({ table: "sightline.events", values: withDuplicates(dataset()), format: "JSONEachRow" });
const spec = { sites: ["a.test"], from: "2026-03-01", to: "2026-10-31", tz: "UTC", metrics: ["events", "visitors", "sessions", "bounce_rate"] } as any;
const q = compileQuery(spec, resolveRange(spec));
for (let i = 0; i < 3; i++) { const t = performance.now(); const r = await ch.read(q.sql, q.params); console.log(Math.round(performance.now() - t), "ms", JSON.stringify(r)); }
const spec2 = { ...spec, metrics: ["events", "visitors"] };
const q2 = compileQuery(spec2, resolveRange(spec2));
for (let i = 0; i < 2; i++) { const t = performance.now(); const r = await ch.read(q2.sql, q2.params); console.log("events only", Math.round(performance.now() - t), "ms", JSON.stringify(r)); }
const spec3 = { ...spec, metrics: ["sessions"] };
const q3 = compileQuery(spec3, resolveRange(spec3));
for (let i = 0; i < 2; i++) { const t = performance.now(); const r = await ch.read(q3.sql, q3.params); console.log("sessions only", Math.round(performance.now() - t), "ms", JSON.stringify(r)); }
const m = new Materializer({ client: ch.session() });
await m.drain();
for (const qq of [q, q2, q3]) for (let i = 0; i < 2; i++) { const t = performance.now(); const r = await ch.read(qq.sql, qq.params); console.log("after", Math.round(performance.now() - t), "ms", JSON.stringify(r)); }
console.log(q.sql.length); 
await ch.close();
