import { writeFileSync } from "node:fs";
import { startDemoStack } from "../e2e/dashboard-stack.ts";
const d = await startDemoStack({ events: 30_000, days: 35 });
writeFileSync("/tmp/boards-dev.json", JSON.stringify({ url: d.url, token: d.token }));
console.log("READY", d.url);
process.on("SIGTERM", async () => { await d.close(); process.exit(0); });
setInterval(() => {}, 1 << 30);
