export interface Config {
  /** The site id from data-site. */
  site: string;
  /** Collector base URL with one trailing slash; events go to `${base}e`. */
  base: string;
  /** The folder s.js was loaded from (with a trailing slash, "" for an inline script). */
  folder: string;
  /** Reads another `data-*` attribute of the snippet (null when absent). */
  attr(name: string): string | null;
}

/** Reads the snippet's data attributes. Null means "do nothing": no site, or nowhere to send. */
export const readConfig = (script: Element | null): Config | null => {
  const attr = (name: string) => script!.getAttribute(`data-${name}`);
  const site = script && attr("site");
  if (!site) return null;
  const src = (script as HTMLScriptElement).src;
  // The folder the script URL points into: "https://shop.com/sl/s.js?v=1" -> "https://shop.com/sl/".
  const folder = src && new URL(".", src).href;
  const base = attr("api")?.replace(/\/*$/, "/") || folder;
  return base ? { site, base, folder, attr } : null;
};
