import type { Page } from "playwright-core";
export default async (page: Page, url: string, token: string) => {
  page.on("pageerror", (e) => console.log(Date.now() % 100000, "PAGEERROR", e.message));
  const log = (s: string) => console.log(Date.now() % 100000, s);
  const list = await (await fetch(`${url}/api/v1/dashboards`, { headers: { authorization: `Bearer ${token}` } })).json();
  const id = list.dashboards[0].id;
  await page.goto(`${url}/boards/${id}?edit=1`);
  await page.waitForTimeout(3000);
  for (let i = 0; i < 2; i++) {
  log("open builder");
  await page.getByRole("button", { name: "+ Add widget" }).click();
  await page.locator("dialog[open] [data-template=map]").click();
  await page.locator("dialog[open] [data-testid=world-map] svg").waitFor();
  log("map drawn");
  await page.locator("dialog[open] button[data-visual=table]").click();
  await page.waitForTimeout(1500);
  log("table");
  await page.locator("dialog[open] button[data-visual=map]").click();
  await page.waitForTimeout(1500);
  log("map again");
  await page.locator("dialog[open]").getByRole("button", { name: "Save widget" }).click();
  log("saved");
  await page.waitForTimeout(3000);
  }
};
