const KEY = "sightline.site";

export function rememberedSite(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function rememberSite(site: string): void {
  try {
    window.localStorage.setItem(KEY, site);
  } catch {
    // Not remembering is fine; the URL holds the choice.
  }
}
