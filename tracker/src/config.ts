export interface Config {
  /** The site id from data-site. */
  site: string;
  /** Collector base URL without a trailing slash; events go to `${base}/e`. */
  base: string;
}

/** The folder a script URL points into: "https://shop.com/sl/s.js?v=1" -> "https://shop.com/sl". */
export function scriptFolder(src: string, baseURI: string): string {
  return new URL(".", new URL(src, baseURI)).href.slice(0, -1);
}

/** Reads the snippet's data attributes. Null means "do nothing": no site, or nowhere to send. */
export function readConfig(script: Element | null): Config | null {
  if (!script) return null;
  const site = script.getAttribute("data-site");
  if (!site) return null;
  const api = script.getAttribute("data-api");
  if (api) return { site, base: api.replace(/\/+$/, "") };
  const src = script.getAttribute("src");
  return src ? { site, base: scriptFolder(src, script.baseURI) } : null;
}
