import { launchChromium as launch } from "@sightline/test-support/chromium";

export { DESKTOP_CHROME } from "@sightline/test-support/chromium";

/** A visitor's own browser does not report automation; the tracker ignores browsers that do. */
export const launchChromium = () => launch(["--disable-blink-features=AutomationControlled"]);
