// What each query API dimension is called on screen, and how its values read.

export interface DimensionInfo {
  label: string;
  /** Shown for the empty value (no referrer, no UTM tag). */
  empty?: string;
}

export const DIMENSIONS: Readonly<Record<string, DimensionInfo>> = {
  page: { label: "Page" },
  entry_page: { label: "Entry page" },
  exit_page: { label: "Exit page" },
  hostname: { label: "Hostname" },
  referrer: { label: "Referrer", empty: "Direct / none" },
  referrer_domain: { label: "Source", empty: "Direct / none" },
  channel: { label: "Channel" },
  utm_source: { label: "UTM source", empty: "(not set)" },
  utm_medium: { label: "UTM medium", empty: "(not set)" },
  utm_campaign: { label: "UTM campaign", empty: "(not set)" },
  utm_term: { label: "UTM term", empty: "(not set)" },
  utm_content: { label: "UTM content", empty: "(not set)" },
  country: { label: "Country", empty: "Unknown" },
  region: { label: "Region", empty: "Unknown" },
  city: { label: "City", empty: "Unknown" },
  browser: { label: "Browser", empty: "Unknown" },
  browser_version: { label: "Browser version", empty: "Unknown" },
  os: { label: "Operating system", empty: "Unknown" },
  os_version: { label: "OS version", empty: "Unknown" },
  device: { label: "Device", empty: "Unknown" },
  language: { label: "Language", empty: "Unknown" },
  event: { label: "Event" },
  currency: { label: "Currency", empty: "(none)" },
  day_of_week: { label: "Weekday" },
  hour_of_day: { label: "Hour of day" },
};

/** The dimensions a filter can be added on from the filter menu, in menu order. */
export const FILTERABLE = [
  "page",
  "entry_page",
  "exit_page",
  "hostname",
  "channel",
  "referrer_domain",
  "referrer",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "country",
  "region",
  "city",
  "browser",
  "browser_version",
  "os",
  "os_version",
  "device",
  "language",
  "event",
] as const;

export function dimensionLabel(dimension: string): string {
  if (dimension.startsWith("prop:")) return `Property ${dimension.slice(5)}`;
  return DIMENSIONS[dimension]?.label ?? dimension;
}

let regionNames: Intl.DisplayNames | null | undefined;

/** A country code's English name ("DE" → "Germany"), or the code when the browser has none. */
export function countryName(code: string): string {
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(["en"], { type: "region" });
    } catch {
      regionNames = null;
    }
  }
  try {
    return (code && regionNames?.of(code)) || code;
  } catch {
    return code;
  }
}

/** A value as people read it: country names, "Direct / none" for an empty referrer. */
export function valueLabel(dimension: string, value: string): string {
  if (value === "") return DIMENSIONS[dimension]?.empty ?? "(empty)";
  if (dimension === "country") return countryName(value);
  // Stored as keys ("organic_search", "mobile"); read as words.
  if (dimension === "device" || dimension === "channel") {
    const words = value.replaceAll("_", " ");
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  return value;
}
