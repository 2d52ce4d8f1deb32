export interface Config {
  /** The site id from data-site. */
  site: string;
  /** Collector base URL without a trailing slash; events go to `${base}/e`. */
  base: string;
  /** The folder s.js was loaded from (no trailing slash); plugins are loaded from here. */
  folder: string;
  /** Reads another `data-*` attribute of the snippet (null when absent). */
  attr(name: string): string | null;
}

/** Reads the snippet's data attributes. Null means "do nothing": no site, or nowhere to send. */
export function readConfig(script: Element | null): Config | null {
  if (!script) return null;
  const attr = (name: string) => script.getAttribute(`data-${name}`);
  const site = attr("site");
  const src = script.getAttribute("src");
  // The folder the script URL points into: "https://shop.com/sl/s.js?v=1" -> "https://shop.com/sl".
  const folder = src ? new URL(".", new URL(src, script.baseURI)).href.slice(0, -1) : "";
  const base = attr("api")?.replace(/\/+$/, "") || folder;
  return site && base ? { site, base, folder, attr } : null;
}
