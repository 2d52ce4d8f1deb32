import { loadSettings, openClickHouse } from "@sightline/config";
const dir = process.argv[2]!;
const ch = openClickHouse(loadSettings({ cwd: dir, env: { SIGHTLINE_DATA_DIR: dir } }));
const sql = process.argv[3]!;
const t = performance.now();
try {
  const rs = await ch.client.query({ query: sql, format: "PrettyCompactMonoBlock" });
  console.log(await rs.text());
} catch (e) { console.error(String(e)); }
console.log(`${(performance.now() - t).toFixed(0)} ms`);
await ch.close();
