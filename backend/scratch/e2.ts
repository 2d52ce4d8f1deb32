import type { Page } from "playwright-core";
export default async (page: Page, url: string) => {
  page.on("response", (r) => r.status() >= 400 && console.log(r.status(), r.url()));
  await page.goto(`${url}/boards`);
  await page.waitForTimeout(3000);
  await page.screenshot({ path: "/tmp/e2.png" });
};
