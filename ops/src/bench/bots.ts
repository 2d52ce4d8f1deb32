import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isBotUserAgent } from "@sightline/edge";

// `pnpm bench bots`: how many crawler user agents of a public corpus the bot flag catches, and how
// many people's browsers of our fixture it wrongly flags, beside the hand-written pattern it
// replaced. The corpus (the `crawler-user-agents` npm package, MIT) is installed into a temporary
// folder for the run and removed after: it is never part of the workspace or the lockfile.

function options() {
  try {
    return parseArgs({ options: { corpus: { type: "string", default: "latest" } } }).values;
  } catch (error) {
    console.error(`bench bots: ${(error as Error).message.split("\n")[0]} (use --corpus=VERSION)`);
    process.exit(2);
  }
}

const CORPUS_VERSION = options().corpus;
const DETECTION_TARGET = 0.99;
const FALSE_POSITIVE_TARGET = 0.005;

// edge/src/useragent.ts's pattern before issue 12, kept here only to print its rates beside ours.
const OLD_PATTERN =
  /bot\b|bot\/|bot;|crawl|spider|slurp|scraper|headless|phantomjs|puppeteer|playwright|selenium|webdriver|lighthouse|pagespeed|gtmetrix|pingdom|uptime|monitor|statuscake|curl\/|wget\/|httpie|python-requests|python-urllib|aiohttp|httpx|scrapy|go-http-client|java\/|okhttp|apache-httpclient|axios\/|node-fetch|undici|libwww|facebookexternalhit|facebookcatalog|preview|embedly|quora link|whatsapp\/|telegrambot|discordbot|slackbot|bingpreview|ahrefs|semrush|mj12|dotbot|petalbot|bytespider|gptbot|chatgpt-user|claudebot|anthropic|perplexity|ccbot|amazonbot|applebot|yandex(?!browser)|baiduspider|duckduckbot|archive\.org/i;
const oldIsBot = (ua: string) => ua.trim() === "" || OLD_PATTERN.test(ua);

interface Crawler {
  pattern: string;
  instances?: string[];
}

function installCorpus(): { version: string; agents: string[]; patterns: number } {
  const dir = mkdtempSync(join(tmpdir(), "sl-bench-bots-"));
  try {
    execFileSync(
      "npm",
      [
        "install",
        "--prefix",
        dir,
        "--no-save",
        "--no-package-lock",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        `crawler-user-agents@${CORPUS_VERSION}`,
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    const pkg = join(dir, "node_modules", "crawler-user-agents");
    const { version } = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as {
      version: string;
    };
    const crawlers = JSON.parse(
      readFileSync(join(pkg, "crawler-user-agents.json"), "utf8"),
    ) as Crawler[];
    // Each entry is a pattern plus the real user agents (`instances`) it was written from.
    const agents = [...new Set(crawlers.flatMap((c) => c.instances ?? []))];
    return { version, agents, patterns: crawlers.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const browsers = JSON.parse(
  readFileSync(new URL("../../../edge/src/fixtures/browsers.json", import.meta.url), "utf8"),
) as { label: string; ua: string }[];

const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(2)} %`;
const corpus = installCorpus();
const caught = corpus.agents.filter(isBotUserAgent);
const oldCaught = corpus.agents.filter(oldIsBot);
const flagged = browsers.filter((b) => isBotUserAgent(b.ua));
const oldFlagged = browsers.filter((b) => oldIsBot(b.ua));

console.log(
  `corpus: crawler-user-agents ${corpus.version} (npm, MIT): ${corpus.agents.length.toLocaleString("en-US")} distinct user agents from ${corpus.patterns.toLocaleString("en-US")} entries`,
);
console.log(`fixture: edge/src/fixtures/browsers.json: ${browsers.length} browser user agents`);
console.table([
  {
    measure: "corpus detection rate",
    "isbot + own additions": pct(caught.length, corpus.agents.length),
    "old pattern": pct(oldCaught.length, corpus.agents.length),
    target: `≥ ${DETECTION_TARGET * 100} %`,
  },
  {
    measure: "fixture false-positive rate",
    "isbot + own additions": pct(flagged.length, browsers.length),
    "old pattern": pct(oldFlagged.length, browsers.length),
    target: `≤ ${FALSE_POSITIVE_TARGET * 100} %`,
  },
]);

const missed = corpus.agents.filter((ua) => !isBotUserAgent(ua));
if (missed.length > 0) {
  console.log(`corpus user agents not flagged (${missed.length}):`);
  for (const ua of missed) console.log(`  ${ua}`);
}
if (flagged.length > 0) {
  console.log(`fixture browsers flagged (${flagged.length}):`);
  for (const b of flagged) console.log(`  ${b.label}: ${b.ua}`);
}

const met =
  caught.length / corpus.agents.length >= DETECTION_TARGET &&
  flagged.length / browsers.length <= FALSE_POSITIVE_TARGET;
console.log(met ? "both targets met" : "a target is NOT met");
if (!met) process.exitCode = 1;
