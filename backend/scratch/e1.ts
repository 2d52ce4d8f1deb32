import type { Page } from "playwright-core";
export default async (page: Page, url: string) => {
  await page.goto(`${url}/boards`);
  await page.getByRole("button", { name: "New dashboard" }).click();
  await page.waitForURL(/\/boards\/.+edit=1/);
  console.log(page.url());
  await page.waitForTimeout(1000);
  await page.screenshot({ path: "/tmp/e1-a.png" });
  await page.getByRole("button", { name: "+ Add widget" }).click();
  await page.locator("[data-testid=template-gallery]").waitFor();
  await page.screenshot({ path: "/tmp/e1-b.png" });
  await page.locator("[data-template=number]").click();
  await page.waitForTimeout(2000);
  await page.screenshot({ path: "/tmp/e1-c.png", fullPage: true });
};
