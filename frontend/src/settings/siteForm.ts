import type { Site } from "../api/types.ts";
import type { Feature, Identity, SiteChanges } from "./api.ts";

// A site's settings as the form edits them, and the changes to send: only the fields that
// differ, so the audit log names what was changed.

export const IDENTITY_LABELS: Readonly<Record<Identity, { label: string; note: string }>> = {
  cookieless: {
    label: "Cookieless",
    note: "Nothing is stored in the visitor's browser: the server tells visitors apart by a hash whose salt changes every day, so a visitor who returns on another day counts again.",
  },
  storage: {
    label: "Browser storage",
    note: "A random id in the browser's localStorage recognises returning visitors across days. Storing an id on the visitor's device usually needs their consent.",
  },
  fingerprint: {
    label: "Fingerprint",
    note: "Canvas and WebGL traits recognise the browser without storing anything; never used when the browser sends Global Privacy Control or Do Not Track.",
  },
};

/** Shown when fingerprinting is chosen: the visitor's consent comes first. */
export const FINGERPRINT_CONSENT =
  "Reading a device's traits counts as accessing it under the ePrivacy rules: in the EU and the UK you need the visitor's consent before the tracker may fingerprint. Load the snippet only after consent, or choose cookieless.";

export const FEATURE_LABELS: Readonly<Record<Feature, string>> = {
  engagement: "Engaged time",
  scroll: "Scroll depth",
  outbound: "Outbound link clicks",
  download: "File downloads",
  form: "Form submissions",
  "404": "Not-found pages (404)",
  errors: "JavaScript errors (plugin)",
  vitals: "Web vitals (plugin)",
};

/** The order the form lists them in (object keys would put "404" first). */
export const FEATURE_ORDER: readonly Feature[] = [
  "engagement",
  "scroll",
  "outbound",
  "download",
  "form",
  "404",
  "errors",
  "vitals",
];

export interface SiteDraft {
  name: string;
  /** One domain a line, as typed. */
  domains: string;
  timezone: string;
  rawMonths: string;
  rollupMonths: string;
  identity: Identity;
  features: Feature[];
}

export function draftOf(site: Site): SiteDraft {
  return {
    name: site.name,
    domains: site.domains.join("\n"),
    timezone: site.timezone,
    rawMonths: String(site.retention.rawMonths),
    rollupMonths: String(site.retention.rollupMonths),
    identity: site.identity,
    features: [...site.features],
  };
}

/** Domains as typed (lines, commas or spaces), lower-cased, without scheme, path or repeats. */
export function parseDomains(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[\s,]+/)) {
    const domain = raw
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, "")
      .replace(/[/?#].*$/, "");
    if (domain && !out.includes(domain)) out.push(domain);
  }
  return out;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** The changed fields, or a problem to fix first. */
export function changesOf(
  site: Site,
  draft: SiteDraft,
): { changes: SiteChanges | null; problem: string | null } {
  const name = draft.name.trim();
  if (!name) return { changes: null, problem: "Give the site a name." };
  const domains = parseDomains(draft.domains);
  if (!domains.length) return { changes: null, problem: "List at least one domain." };
  const raw = Number(draft.rawMonths);
  const rollup = Number(draft.rollupMonths);
  if (!Number.isInteger(raw) || raw < 1 || raw > 1200)
    return { changes: null, problem: "Keep raw events for 1 to 1200 whole months." };
  if (!Number.isInteger(rollup) || rollup < 1 || rollup > 1200)
    return { changes: null, problem: "Keep rollups for 1 to 1200 whole months." };
  if (rollup < raw)
    return {
      changes: null,
      problem: `Rollups are made from raw events: keep them at least as long (${raw} months).`,
    };
  const changes: SiteChanges = {};
  if (name !== site.name) changes.name = name;
  if (!sameList(domains, site.domains)) changes.domains = domains;
  if (draft.timezone !== site.timezone) changes.timezone = draft.timezone;
  if (raw !== site.retention.rawMonths || rollup !== site.retention.rollupMonths)
    changes.retention = { rawMonths: raw, rollupMonths: rollup };
  if (draft.identity !== site.identity) changes.identity = draft.identity;
  if (!sameList(draft.features, site.features)) changes.features = draft.features;
  return { changes: Object.keys(changes).length ? changes : null, problem: null };
}
